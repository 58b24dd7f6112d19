package dev.mtls.boot.identity;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.CertificateRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link IdentityPattern}: for every form, certificates that must and must not
 * match, and patterns that must be refused.
 */
class IdentityPatternTests {

	private static final CertificateAuthority CA = CertificateAuthority.create("Pattern CA");

	private static final Map<String, CertificateIdentity> IDENTITIES = Map.ofEntries(
			identity("ops",
					CA.certificate("ops")
						.organizationalUnit("platform")
						.organization("Acme")
						.dnsNames("ops.acme.internal")
						.uris("spiffe://acme.org/ns/ops/sa/console", "https://acme.org/ops")
						.emails("ops@Acme.org")
						.ipAddresses("10.1.2.3", "2001:db8::7")),
			identity("orders-eu", CA.certificate("orders-eu").dnsNames("api.example.com")),
			identity("apex", CA.certificate("apex").dnsNames("example.com")),
			identity("deep", CA.certificate("deep").dnsNames("a.b.example.com")),
			identity("escaped", CA.certificate("x").subject("CN=Smith\\, John,O=Acme")),
			identity("multi", CA.certificate("x").subject("CN=svc+UID=42,O=Acme")),
			identity("no-cn", CA.certificate("x").withoutCommonName().organization("Acme")),
			identity("trailing-slash", CA.certificate("trailing").uris("spiffe://acme.org/ns/ops/")),
			identity("query", CA.certificate("query").uris("spiffe://acme.org/ns/ops?x=1")),
			identity("two-spiffe", CA.certificate("two").uris("spiffe://acme.org/a", "spiffe://acme.org/b")),
			identity("root-spiffe", CA.certificate("root").uris("spiffe://acme.org")),
			// Look-alikes of "admin" that Unicode case folding or compatibility forms
			// make
			// equal to it: dotless i (U+0131), fullwidth a (U+FF41), Kelvin sign
			// (U+212A).
			identity("dotless-i", CA.certificate("adm\u0131n").organization("Acme")),
			identity("fullwidth-a", CA.certificate("\uFF41dmin").organization("Acme")),
			identity("kelvin", CA.certificate("\u212Aube-x").organization("Acme")),
			identity("spaced", CA.certificate("x").subject("CN=Acme  Ops ,O=Acme")));

	private static Map.Entry<String, CertificateIdentity> identity(String key, CertificateRequest request) {
		return Map.entry(key,
				CertificateIdentity.of(List.of(request.clientAuth().issue().getCertificate()), PrincipalName.SUBJECT));
	}

	static Stream<Arguments> patterns() {
		String fingerprint = IDENTITIES.get("ops").getSha256Fingerprint();
		return Stream.of(
				// any
				Arguments.of("*", "ops", true), Arguments.of("*", "no-cn", true),
				// subject DN, canonical comparison
				Arguments.of("CN=ops,OU=platform,O=Acme", "ops", true),
				Arguments.of("cn=OPS, ou=Platform,  o=acme", "ops", true),
				Arguments.of("CN=ops,OU=platform", "ops", false),
				Arguments.of("CN=ops,OU=platform,O=Acme,C=US", "ops", false),
				Arguments.of("O=Acme,OU=platform,CN=ops", "ops", false),
				Arguments.of("CN=Smith\\, John,O=Acme", "escaped", true),
				Arguments.of("CN=\"Smith, John\",O=Acme", "escaped", true),
				Arguments.of("CN=Smith\\,John,O=Acme", "escaped", false),
				Arguments.of("CN=Smith,O=Acme", "escaped", false), Arguments.of("UID=42+CN=svc,O=Acme", "multi", true),
				Arguments.of("CN=svc+UID=42, O=Acme", "multi", true), Arguments.of("CN=svc,O=Acme", "multi", false),
				Arguments.of("CN=Acme Ops,O=Acme", "spaced", true), Arguments.of("CN=AcmeOps,O=Acme", "spaced", false),
				// ASCII letters without case, other characters only themselves
				Arguments.of("CN=admin,O=Acme", "dotless-i", false),
				Arguments.of("CN=ADMIN,O=Acme", "dotless-i", false),
				Arguments.of("CN=adm\u0131n,O=Acme", "dotless-i", true),
				Arguments.of("CN=admin,O=Acme", "fullwidth-a", false), Arguments.of("cn:admin", "dotless-i", false),
				Arguments.of("cn:ADMIN", "dotless-i", false), Arguments.of("cn:adm*", "fullwidth-a", false),
				Arguments.of("cn:kube-*", "kelvin", false), Arguments.of("cn:\u212Aube-*", "kelvin", true),
				Arguments.of("CN=\u212Aube-x,O=Acme", "kelvin", true),
				Arguments.of("CN=kube-x,O=Acme", "kelvin", false),
				// cn glob
				Arguments.of("cn:ops", "ops", true), Arguments.of("cn:OP*", "ops", true),
				Arguments.of("cn:orders-*", "orders-eu", true), Arguments.of("cn:orders-*", "ops", false),
				Arguments.of("cn:*", "no-cn", false), Arguments.of("cn:ops-*", "ops", false),
				// SPIFFE ID
				Arguments.of("spiffe://acme.org/ns/ops/sa/console", "ops", true),
				Arguments.of("spiffe://acme.org/ns/*/sa/console", "ops", true),
				Arguments.of("spiffe://acme.org/ns/*", "ops", false),
				Arguments.of("spiffe://acme.org/ns/**", "ops", true), Arguments.of("spiffe://acme.org/**", "ops", true),
				Arguments.of("spiffe://acme.org/ns/ops/sa/console/**", "ops", true),
				Arguments.of("spiffe://acme.org/ns/ops/sa", "ops", false),
				Arguments.of("spiffe://other.org/**", "ops", false),
				Arguments.of("spiffe://acme.org/ns/ops/sa/consol", "ops", false),
				Arguments.of("spiffe://acme.org/**", "trailing-slash", false),
				Arguments.of("spiffe://acme.org/**", "query", false),
				Arguments.of("spiffe://acme.org/**", "two-spiffe", false),
				Arguments.of("spiffe://acme.org", "root-spiffe", true),
				Arguments.of("spiffe://acme.org/**", "root-spiffe", true),
				Arguments.of("spiffe://acme.org/*", "root-spiffe", false),
				// DNS SAN
				Arguments.of("dns:ops.acme.internal", "ops", true), Arguments.of("dns:OPS.Acme.Internal.", "ops", true),
				Arguments.of("dns:*.acme.internal", "ops", true), Arguments.of("dns:*.example.com", "orders-eu", true),
				Arguments.of("dns:*.example.com", "apex", false), Arguments.of("dns:*.example.com", "deep", false),
				Arguments.of("dns:example.com", "apex", true), Arguments.of("dns:example.com", "orders-eu", false),
				// URI SAN
				Arguments.of("uri:https://acme.org/ops", "ops", true),
				Arguments.of("uri:https://acme.org/*", "ops", true),
				Arguments.of("uri:https://ACME.org/ops", "ops", false),
				Arguments.of("uri:spiffe://acme.org/*", "trailing-slash", true),
				// e-mail SAN
				Arguments.of("email:ops@acme.org", "ops", true), Arguments.of("email:*@ACME.org", "ops", true),
				Arguments.of("email:dev@acme.org", "ops", false),
				// IP SAN
				Arguments.of("ip:10.1.2.3", "ops", true), Arguments.of("ip:10.0.0.0/8", "ops", true),
				Arguments.of("ip:11.0.0.0/8", "ops", false), Arguments.of("ip:10.1.2.3/32", "ops", true),
				Arguments.of("ip:2001:db8::/32", "ops", true), Arguments.of("ip:2001:db8::7", "ops", true),
				Arguments.of("ip:2001:db9::/32", "ops", false), Arguments.of("ip:::1", "ops", false),
				Arguments.of("ip:0.0.0.0/0", "orders-eu", false), Arguments.of("ip:0.0.0.0/0", "ops", true),
				Arguments.of("ip:10.1.2.3/8", "ops", true), Arguments.of("ip:::ffff:10.1.2.3", "ops", true),
				Arguments.of("ip:2001:db8:0:0::7/128", "ops", true),
				// issuer
				Arguments.of("issuer:CN=Pattern CA", "ops", true), Arguments.of("issuer: cn=pattern ca", "ops", true),
				Arguments.of("issuer:CN=Other CA", "ops", false),
				// fingerprint
				Arguments.of("sha256:" + fingerprint, "ops", true),
				Arguments.of("sha256:" + fingerprint.toUpperCase().replaceAll("(..)(?!$)", "$1:"), "ops", true),
				Arguments.of("sha256:" + fingerprint, "orders-eu", false),
				// authority, without authorities
				Arguments.of("authority:ROLE_OPS", "ops", false));
	}

	@ParameterizedTest(name = "{0} against {1}: {2}")
	@MethodSource("patterns")
	void matchesWhenPatternAndCertificateThenExpected(String pattern, String certificate, boolean expected) {
		IdentityPattern parsed = IdentityPattern.parse(pattern);

		assertThat(parsed.matches(IDENTITIES.get(certificate))).isEqualTo(expected);
	}

	@Test
	void matchesWhenAuthorityGrantedThenAuthorityPatternMatches() {
		IdentityPattern pattern = IdentityPattern.parse("authority:ROLE_OPS");

		assertThat(pattern.matches(IDENTITIES.get("ops"), Set.of("ROLE_OPS"))).isTrue();
		assertThat(pattern.matches(IDENTITIES.get("ops"), Set.of("ROLE_DEV"))).isFalse();
		assertThat(pattern.usesAuthorities()).isTrue();
	}

	// A federated trust domain's CA copies our names into its SVID: its common name, DN,
	// SANs and the issuer DN of our CA.
	static Stream<Arguments> federatedPatterns() {
		return Stream.of(Arguments.of("cn:ops-console", false),
				Arguments.of("CN=ops-console,OU=platform,O=Acme", false), Arguments.of("dns:*.acme.internal", false),
				Arguments.of("uri:spiffe://partner.org/*", false), Arguments.of("email:ops@acme.org", false),
				Arguments.of("ip:10.0.0.0/8", false), Arguments.of("issuer:CN=Pattern CA", false),
				Arguments.of("*", true), Arguments.of("spiffe://partner.org/ops", true),
				Arguments.of("spiffe://partner.org/*", true));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("federatedPatterns")
	void matchesWhenFederatedThenOnlyWhatItsTrustDomainVouchesFor(String pattern, boolean matchesFederated) {
		CertificateAuthority partner = CertificateAuthority.create("Pattern CA");
		List<X509Certificate> chain = List.of(partner.certificate("ops-console")
			.organizationalUnit("platform")
			.organization("Acme")
			.dnsNames("ops.acme.internal")
			.uris("spiffe://partner.org/ops")
			.emails("ops@acme.org")
			.ipAddresses("10.1.2.3")
			.clientAuth()
			.issue()
			.getCertificate());
		CertificateIdentity local = CertificateIdentity.of(chain, PrincipalName.CN, "partner.org");
		CertificateIdentity federated = CertificateIdentity.of(chain, PrincipalName.CN, "acme.org");
		IdentityPattern parsed = IdentityPattern.parse(pattern);

		boolean matchesLocal = parsed.matches(local);
		boolean matches = parsed.matches(federated);

		assertThat(matchesLocal).isTrue();
		assertThat(matches).isEqualTo(matchesFederated);
	}

	@Test
	void matchesWhenFederatedThenFingerprintAndGrantedAuthorityMatch() {
		CertificateAuthority partner = CertificateAuthority.create("Partner CA");
		CertificateIdentity federated = CertificateIdentity.of(
				List.of(partner.certificate("ops-console").uris("spiffe://partner.org/ops").issue().getCertificate()),
				PrincipalName.CN, "acme.org");

		assertThat(IdentityPattern.parse("sha256:" + federated.getSha256Fingerprint()).matches(federated)).isTrue();
		assertThat(IdentityPattern.parse("authority:ROLE_OPS").matches(federated, Set.of("ROLE_OPS"))).isTrue();
		assertThat(IdentityPattern.parse("cn:ops-console").matches(federated)).isFalse();
	}

	@Test
	void matchesWhenAttestedIdentityFederatedThenNotByCommonName() {
		AttestedCertificate attested = new AttestedCertificate("ab".repeat(32), "CN=ops-console,O=Acme",
				List.of("ops.acme.internal"), List.of("spiffe://partner.org/ops"));

		CertificateIdentity federated = CertificateIdentity.attested(attested, PrincipalName.CN, "acme.org");

		assertThat(IdentityPattern.parse("cn:ops-console").matches(federated)).isFalse();
		assertThat(IdentityPattern.parse("dns:ops.acme.internal").matches(federated)).isFalse();
		assertThat(IdentityPattern.parse("spiffe://partner.org/ops").matches(federated)).isTrue();
		assertThat(IdentityPattern.parse("cn:ops-console")
			.matches(CertificateIdentity.attested(attested, PrincipalName.CN, "partner.org"))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "ops", "dn:CN=ops", "dns:", "dns:a..b.com", "dns:a.*.com", "dns:*ops.acme.org",
			"dns:*.com", "ip:example.com", "ip:10.0.0.0/33", "ip:::1/129", "ip:10.0.0.0/x", "ip:999.1.1.1",
			"ip:fe80::1%1", "sha256:abc",
			"sha256:" + "zz00000000000000000000000000000000000000000000000000000000000000", "spiffe://Acme.org/x",
			"spiffe://acme.org/x/", "spiffe://acme.org/**/x", "spiffe://acme.org/x?y", "spiffe://acme.org//x",
			"spiffe://acme.org:443/x", "spiffe:///x", "SPIFFE://acme.org/x", "spiffe://acme.org/./x", "CN=ops,FOO=bar",
			"issuer:not a dn", "uri:", "authority: " })
	void parseWhenMalformedThenRefusedWithReason(String pattern) {
		assertThatExceptionOfType(InvalidIdentityPatternException.class)
			.isThrownBy(() -> IdentityPattern.parse(pattern))
			.satisfies((ex) -> assertThat(ex.getReason()).isNotBlank())
			.satisfies((ex) -> assertThat(ex.getPattern()).isEqualTo(pattern));
	}

}
