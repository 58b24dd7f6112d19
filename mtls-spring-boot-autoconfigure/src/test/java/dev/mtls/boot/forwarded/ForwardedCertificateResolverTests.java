package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

import dev.mtls.boot.forwarded.ForwardedRequest.Kind;
import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.identity.IpRange;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.ForwardedOutcome;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ForwardedCertificateResolver}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ForwardedCertificateResolverTests {

	private static final String HEADER = "ssl-client-cert";

	private static final String XFCC = "x-forwarded-client-cert";

	private static final TestCertificateAuthority authority = TestCertificateAuthority.create();

	private static final TestCertificate proxy = authority.client("proxy");

	private static final TestCertificate alice = authority.client("alice");

	private static final TestCertificate bob = authority.client("bob");

	private final Set<X509Certificate> refused = new CopyOnWriteArraySet<>();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final MtlsListener listener = new MtlsListener() {

		@Override
		public void forwarded(ForwardedOutcome outcome) {
			ForwardedCertificateResolverTests.this.events.add(outcome);
		}

		@Override
		public void authenticationFailed(Reason reason) {
			ForwardedCertificateResolverTests.this.events.add(reason);
		}

		@Override
		public void authenticationFailed(AuthenticationFailure failure) {
			ForwardedCertificateResolverTests.this.events.add(failure);
		}

	};

	@AfterAll
	static void close() {
		authority.close();
	}

	@Test
	void resolveWhenTrustedProxyForwardsCertificateThenForwarded() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", header(alice));

		assertThat(request.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(request.chain()).containsExactly(alice.getCertificate());
		assertThat(request.proxy()).isNotNull();
		assertThat(request.proxy().identity().getCommonName()).isEqualTo("proxy");
		assertThat(request.proxy().identity().getName()).isEqualTo("proxy");
		assertThat(request.proxy().address()).isEqualTo("127.0.0.1");
		assertThat(this.events).containsExactly(ForwardedOutcome.FORWARDED);
	}

	@Test
	void resolveWhenOtherClientSendsHeaderThenUntrustedSourceLoggedOnce(CapturedOutput output) {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		ForwardedRequest first = resolver.resolve(chain(bob), "127.0.0.1", header(alice));
		ForwardedRequest second = resolver.resolve(chain(bob), "127.0.0.1", header(alice));

		assertThat(first.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(second.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(first.chain()).isEmpty();
		assertThat(this.events).containsExactly(ForwardedOutcome.UNTRUSTED_SOURCE, ForwardedOutcome.UNTRUSTED_SOURCE);
		assertThat(output.getOut().split("the peer is not a trusted proxy", -1)).hasSize(2);
		assertThat(output).contains("Forwarded client certificate header [ssl-client-cert] from 'CN=bob");
	}

	@Test
	void resolveWhenPeersHaveNoCommonNameThenProxyTrustedByIdentityAndOthersUntrusted() {
		// SPIFFE SVIDs often have an empty subject.
		TestCertificate svidProxy = authority.client((spec) -> spec.subject("O=mesh").spiffeId("spiffe://mesh/proxy"));
		TestCertificate svidClient = authority.client((spec) -> spec.subject("O=mesh").spiffeId("spiffe://mesh/other"));
		ForwardedCertificateResolver resolver = resolver(List.of("spiffe://mesh/proxy"), List.of());

		ForwardedRequest viaProxy = resolver.resolve(chain(svidProxy), "127.0.0.1", header(alice));
		ForwardedRequest fromOther = resolver.resolve(chain(svidClient), "127.0.0.1", header(alice));

		assertThat(viaProxy.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(viaProxy.chain()).containsExactly(alice.getCertificate());
		assertThat(fromOther.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
	}

	@Test
	void resolveWhenProxyOfFederatedTrustDomainThenTrustedBySpiffeIdOnly() {
		// A federated domain's CA may give its SVID our proxy's common name.
		TestCertificate partnerProxy = authority
			.client((spec) -> spec.commonName("proxy").spiffeId("spiffe://partner.org/proxy"));
		ForwardedCertificateResolver byName = resolver(List.of("cn:proxy"), List.of());
		byName.setLocalTrustDomain(() -> "acme.org");
		ForwardedCertificateResolver bySpiffeId = resolver(List.of("cn:proxy", "spiffe://partner.org/proxy"),
				List.of());
		bySpiffeId.setLocalTrustDomain(() -> "acme.org");
		ForwardedCertificateResolver local = resolver(List.of("cn:proxy"), List.of());
		local.setLocalTrustDomain(() -> "partner.org");

		ForwardedRequest named = byName.resolve(chain(partnerProxy), "127.0.0.1", header(alice));
		ForwardedRequest identified = bySpiffeId.resolve(chain(partnerProxy), "127.0.0.1", header(alice));
		ForwardedRequest ofOwnDomain = local.resolve(chain(partnerProxy), "127.0.0.1", header(alice));

		assertThat(named.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(identified.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(identified.proxy().identity().isFederated()).isTrue();
		assertThat(identified.proxy().identity().getName()).isEqualTo("spiffe://partner.org/proxy");
		assertThat(ofOwnDomain.kind()).isEqualTo(Kind.FORWARDED);
	}

	@Test
	void resolveWhenOtherClientSendsCompanionHeaderOnlyThenUntrustedSource() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		ForwardedRequest request = resolver.resolve(chain(bob), "127.0.0.1",
				ForwardedHeaderValues.of("ssl-client-subject-dn", "CN=alice"));

		assertThat(request.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(resolver.getHeaders()).containsExactly("ssl-client-cert", "ssl-client-verify",
				"ssl-client-subject-dn", "ssl-client-issuer-dn");
	}

	@Test
	void resolveWhenPeerWithoutCertificateSendsHeaderThenUntrustedSource() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		assertThat(resolver.resolve(null, "127.0.0.1", header(alice)).kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
	}

	@Test
	void resolveWhenNoHeaderFromOtherPeerThenDirectAndNothingCounted() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		assertThat(resolver.resolve(chain(bob), "127.0.0.1", ForwardedHeaderValues.of()).kind()).isEqualTo(Kind.DIRECT);
		assertThat(this.events).isEmpty();
	}

	@Test
	void resolveWhenTrustedProxyForwardsNothingThenNoCertificate() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", ForwardedHeaderValues.of());

		assertThat(request.kind()).isEqualTo(Kind.NO_CERTIFICATE);
		assertThat(request.chain()).isEmpty();
		assertThat(this.events).containsExactly(ForwardedOutcome.NO_CERTIFICATE);
	}

	@Test
	void resolveWhenProxyAuthenticatedAndForwardsNothingThenProxyItself() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());
		resolver.setAuthenticateProxy(true);

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", ForwardedHeaderValues.of());
		ForwardedRequest forwarded = resolver.resolve(chain(proxy), "127.0.0.1", header(alice));

		assertThat(request.kind()).isEqualTo(Kind.PROXY);
		assertThat(request.proxy().identity().getCommonName()).isEqualTo("proxy");
		assertThat(forwarded.kind()).isEqualTo(Kind.FORWARDED);
	}

	@Test
	void resolveWhenProxyTrustedByAddressAloneAndAuthenticatedThenStillNoCertificate() {
		ForwardedCertificateResolver resolver = resolver(List.of(), List.of("10.0.0.0/8"));
		resolver.setAuthenticateProxy(true);

		assertThat(resolver.resolve(null, "10.1.2.3", ForwardedHeaderValues.of()).kind())
			.isEqualTo(Kind.NO_CERTIFICATE);
	}

	@Test
	void resolveWhenHeaderMalformedThenMalformedWithReason(CapturedOutput output) {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1",
				ForwardedHeaderValues.of(HEADER, "garbage\nInjected: line"));

		assertThat(request.kind()).isEqualTo(Kind.MALFORMED);
		assertThat(request.problem()).isEqualTo("ssl-client-cert: no PEM certificate in the header");
		assertThat(this.events).containsExactly(ForwardedOutcome.MALFORMED);
		assertThat(output).contains("refused with 400: ssl-client-cert: no PEM certificate");
	}

	@Test
	void resolveWhenForwardedCertificateRefusedThenRefusedAndCounted(CapturedOutput output) {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());
		this.refused.add(alice.getCertificate());

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", header(alice));

		assertThat(request.kind()).isEqualTo(Kind.REFUSED);
		assertThat(request.chain()).isEmpty();
		assertThat(this.events).containsExactly(ForwardedOutcome.REFUSED, Reason.REVOKED);
		assertThat(output).contains("Forwarded client certificate from trusted proxy 'CN=proxy")
			.contains("refused: revoked");
	}

	@Test
	void resolveWhenProxysOwnCertificateRefusedThenNotTrusted() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());
		this.refused.add(proxy.getCertificate());

		assertThat(resolver.resolve(chain(proxy), "127.0.0.1", header(alice)).kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
	}

	@Test
	void resolveWhenTrustedByAddressThenAnyPeerInRange() {
		ForwardedCertificateResolver resolver = resolver(List.of(), List.of("10.0.0.0/8", "::1"));

		ForwardedRequest inRange = resolver.resolve(null, "10.1.2.3", header(alice));
		ForwardedRequest ipv6 = resolver.resolve(null, "0:0:0:0:0:0:0:1", header(alice));
		ForwardedRequest outside = resolver.resolve(chain(proxy), "192.168.1.1", header(alice));

		assertThat(inRange.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(inRange.proxy().identity()).isNull();
		assertThat(ipv6.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(outside.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
	}

	@Test
	void resolveWhenIdentityAndAddressSetThenBothMustHold() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of("127.0.0.0/8"));

		assertThat(resolver.resolve(chain(proxy), "127.0.0.1", header(alice)).kind()).isEqualTo(Kind.FORWARDED);
		assertThat(resolver.resolve(chain(proxy), "10.0.0.1", header(alice)).kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(resolver.resolve(chain(bob), "127.0.0.1", header(alice)).kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(resolver.resolve(null, "127.0.0.1", header(alice)).kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
	}

	@Test
	void resolveWhenSameHeaderAgainThenReadOnce() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		X509Certificate first = resolver.resolve(chain(proxy), "127.0.0.1", header(alice)).chain().get(0);
		X509Certificate second = resolver.resolve(chain(proxy), "127.0.0.1", header(alice)).chain().get(0);

		assertThat(second).isSameAs(first);
	}

	@Test
	void resolveWhenForwardedVerifierSetThenProxyCheckedByVerifierAndForwardedChainByIt() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());
		List<X509Certificate> forwardedChecks = new CopyOnWriteArrayList<>();
		resolver.setForwardedVerifier((chain) -> {
			forwardedChecks.add(chain[0]);
			if (chain[0].equals(bob.getCertificate())) {
				throw new CertificateRejectedException(Reason.UNTRUSTED, "not from a forwarded clients' CA");
			}
		});
		// The proxy's own chain is no forwarded one: the main verifier refuses it.
		this.refused.add(alice.getCertificate());

		ForwardedRequest alicesRequest = resolver.resolve(chain(proxy), "127.0.0.1", header(alice));
		ForwardedRequest bobsRequest = resolver.resolve(chain(proxy), "127.0.0.1", header(bob));

		assertThat(alicesRequest.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(bobsRequest.kind()).isEqualTo(Kind.REFUSED);
		assertThat(forwardedChecks).containsExactly(alice.getCertificate(), bob.getCertificate());
		this.refused.add(proxy.getCertificate());
		assertThat(resolver.resolve(chain(proxy), "127.0.0.1", header(alice)).kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
	}

	@Test
	void resolveWhenForwardedCertificateIsCaThenRefusedAndCounted() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());
		HeaderValues headers = ForwardedHeaderValues.of(HEADER,
				ForwardedHeaderValues.urlPem(List.of(authority.getCaCertificate())));

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", headers);

		assertThat(request.kind()).isEqualTo(Kind.REFUSED);
		assertThat(request.problem()).contains("is a CA certificate");
		assertThat(this.events).containsExactly(ForwardedOutcome.REFUSED, AuthenticationFailure.CA_CERTIFICATE);
	}

	@Test
	void resolveWhenSecondHopThroughTrustedFartherProxyThenForwarded() {
		ForwardedCertificateResolver resolver = xfccResolver(2);
		TestCertificate edge = authority.client("proxy-edge");

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", xfcc(alice, edge));

		assertThat(request.kind()).isEqualTo(Kind.FORWARDED);
		assertThat(request.chain()).containsExactly(alice.getCertificate());
	}

	@Test
	void resolveWhenSecondHopThroughUntrustedFartherProxyThenRefused(CapturedOutput output) {
		ForwardedCertificateResolver resolver = xfccResolver(2);

		// bob, a client of the nearest proxy, claims to have forwarded alice's
		// certificate.
		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", xfcc(alice, bob));

		assertThat(request.kind()).isEqualTo(Kind.REFUSED);
		assertThat(request.problem()).contains("the XFCC element of hop 1 names 'CN=bob'")
			.contains("not a trusted proxy");
		assertThat(output).contains("Forwarded client certificate from trusted proxy");
	}

	@Test
	void resolveWhenSecondHopThroughRefusedFartherProxyThenRefused() {
		ForwardedCertificateResolver resolver = xfccResolver(2);
		TestCertificate edge = authority.client("proxy-edge");
		this.refused.add(edge.getCertificate());

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1", xfcc(alice, edge));

		assertThat(request.kind()).isEqualTo(Kind.REFUSED);
		assertThat(request.problem()).contains("the XFCC element of hop 1 is not a trusted proxy's");
	}

	@Test
	void resolveWhenSecondHopButOneElementThenNoCertificate() {
		ForwardedCertificateResolver resolver = xfccResolver(2);

		HeaderValues headers = ForwardedHeaderValues.of(XFCC, "Cert=" + urlPem(alice));

		assertThat(resolver.resolve(chain(proxy), "127.0.0.1", headers).kind()).isEqualTo(Kind.NO_CERTIFICATE);
	}

	@Test
	void resolveWhenProxyVerificationTrustedAndElementAttestsThenAttestedAndCounted() {
		List<String> attestedBy = new CopyOnWriteArrayList<>();
		ForwardedCertificateResolver resolver = new ForwardedCertificateResolver(ForwardedCertificateFormat.XFCC,
				List.of(), null, 1, new TrustedProxies(List.of(IdentityPattern.parse("cn:proxy")), List.of()),
				(chain) -> {
				}, new MtlsListener() {

					@Override
					public void forwarded(ForwardedOutcome outcome) {
						ForwardedCertificateResolverTests.this.events.add(outcome);
					}

					@Override
					public void attestedBy(String sha256Fingerprint, String proxy) {
						attestedBy.add(sha256Fingerprint + " " + proxy);
					}

				});
		resolver.setTrustProxyVerification(true);
		String hash = "ab".repeat(32);

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, "Hash=" + hash + ";Subject=\"\";URI=spiffe://acme.org/alice"));

		assertThat(request.kind()).isEqualTo(Kind.ATTESTED);
		assertThat(request.chain()).isEmpty();
		assertThat(request.attested())
			.isEqualTo(new AttestedCertificate(hash, "", List.of(), List.of("spiffe://acme.org/alice")));
		assertThat(this.events).containsExactly(ForwardedOutcome.ATTESTED);
		assertThat(attestedBy).containsExactly(hash + " 'CN=proxy' at 127.0.0.1");
	}

	@Test
	void resolveWhenFederatedProxyAttestsSpiffeIdOfAnotherTrustDomainThenRefused(CapturedOutput output) {
		// A partner's proxy vouches for the partner's SPIFFE IDs, as the partner's CA
		// does.
		TestCertificate partnerProxy = authority
			.client((spec) -> spec.commonName("proxy").spiffeId("spiffe://partner.org/proxy"));
		ForwardedCertificateResolver resolver = new ForwardedCertificateResolver(ForwardedCertificateFormat.XFCC,
				List.of(), null, 1,
				new TrustedProxies(List.of(IdentityPattern.parse("spiffe://partner.org/proxy")), List.of()),
				(chain) -> {
				}, this.listener);
		resolver.setTrustProxyVerification(true);
		resolver.setLocalTrustDomain(() -> "acme.org");
		String hash = "ab".repeat(32);

		ForwardedRequest ours = resolver.resolve(chain(partnerProxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, "Hash=" + hash + ";URI=spiffe://acme.org/admin"));
		ForwardedRequest upperCase = resolver.resolve(chain(partnerProxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, "Hash=" + hash + ";URI=SPIFFE://acme.org/admin"));
		ForwardedRequest partners = resolver.resolve(chain(partnerProxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, "Hash=" + hash + ";URI=spiffe://partner.org/billing"));

		assertThat(ours.kind()).isEqualTo(Kind.REFUSED);
		assertThat(ours.attested()).isNull();
		assertThat(upperCase.kind()).isEqualTo(Kind.REFUSED);
		assertThat(output).contains("of the federated trust domain 'partner.org', attests a SPIFFE ID of another "
				+ "trust domain: spiffe://acme.org/admin");
		assertThat(partners.kind()).isEqualTo(Kind.ATTESTED);
		assertThat(partners.attested().uris()).containsExactly("spiffe://partner.org/billing");
	}

	@Test
	void resolveWhenProxyVerificationNotTrustedAndElementAttestsThenMalformed() {
		ForwardedCertificateResolver resolver = xfccResolver(1);

		ForwardedRequest request = resolver.resolve(chain(proxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, "Hash=" + "ab".repeat(32) + ";URI=spiffe://acme.org/alice"));

		assertThat(request.kind()).isEqualTo(Kind.MALFORMED);
		assertThat(request.attested()).isNull();
	}

	@Test
	void resolveWhenProxyVerificationTrustedAndAttestationFromOtherPeerThenUntrustedSource() {
		ForwardedCertificateResolver resolver = xfccResolver(1);
		resolver.setTrustProxyVerification(true);

		ForwardedRequest request = resolver.resolve(chain(bob), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, "Hash=" + "ab".repeat(32) + ";URI=spiffe://acme.org/alice"));

		assertThat(request.kind()).isEqualTo(Kind.UNTRUSTED_SOURCE);
		assertThat(request.attested()).isNull();
	}

	@Test
	void resolveWhenSecondHopAttestsThroughTrustedOrUntrustedFartherProxyThenAttestedOrRefused(CapturedOutput output) {
		ForwardedCertificateResolver resolver = xfccResolver(2);
		resolver.setTrustProxyVerification(true);
		TestCertificate internal = authority.client("proxy-internal");
		String attestation = "By=spiffe://internal;Hash=" + "ab".repeat(32) + ";URI=spiffe://acme.org/alice";

		ForwardedRequest through = resolver.resolve(chain(proxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, attestation + ",By=spiffe://edge;Cert=" + urlPem(internal)));
		ForwardedRequest posing = resolver.resolve(chain(proxy), "127.0.0.1",
				ForwardedHeaderValues.of(XFCC, attestation + ",By=spiffe://edge;Cert=" + urlPem(bob)));

		assertThat(through.kind()).isEqualTo(Kind.ATTESTED);
		assertThat(posing.kind()).isEqualTo(Kind.REFUSED);
		assertThat(posing.attested()).isNull();
		assertThat(posing.problem()).contains("names 'CN=bob', which is not a trusted proxy");
		assertThat(this.events).containsExactly(ForwardedOutcome.ATTESTED, ForwardedOutcome.REFUSED, Reason.UNTRUSTED);
		assertThat(output).contains("Attested client certificate '' (attested by the proxy, sha256 abab");
	}

	@Test
	void setTrustProxyVerificationWhenFormatIsNotXfccThenRefused() {
		ForwardedCertificateResolver resolver = resolver(List.of("cn:proxy"), List.of());

		assertThatIllegalStateException().isThrownBy(() -> resolver.setTrustProxyVerification(true))
			.withMessageContaining("xfcc");
	}

	private ForwardedCertificateResolver xfccResolver(int hop) {
		TrustedProxies proxies = new TrustedProxies(List.of(IdentityPattern.parse("cn:proxy*")), List.of());
		return new ForwardedCertificateResolver(ForwardedCertificateFormat.XFCC, List.of(), null, hop, proxies,
				(chain) -> {
					if (this.refused.contains(chain[0])) {
						throw new CertificateRejectedException(Reason.REVOKED, "revoked");
					}
				}, this.listener);
	}

	// The farthest element first, as proxies append them.
	private static HeaderValues xfcc(TestCertificate client, TestCertificate fartherProxy) {
		return ForwardedHeaderValues.of(XFCC,
				"By=spiffe://edge;Cert=" + urlPem(client) + ",By=spiffe://internal;Cert=" + urlPem(fartherProxy));
	}

	private static String urlPem(TestCertificate persona) {
		return ForwardedHeaderValues.urlPem(List.of(persona.getCertificate()));
	}

	private ForwardedCertificateResolver resolver(List<String> identities, List<String> addresses) {
		TrustedProxies proxies = new TrustedProxies(identities.stream().map(IdentityPattern::parse).toList(),
				addresses.stream().map(IpRange::of).toList());
		return new ForwardedCertificateResolver(ForwardedCertificateFormat.NGINX, List.of(), null, 1, proxies,
				(chain) -> {
					if (this.refused.contains(chain[0])) {
						throw new CertificateRejectedException(Reason.REVOKED, "revoked");
					}
				}, this.listener);
	}

	private static X509Certificate[] chain(TestCertificate persona) {
		return persona.getChain().toArray(X509Certificate[]::new);
	}

	private static HeaderValues header(TestCertificate persona) {
		return ForwardedHeaderValues.of(HEADER, ForwardedHeaderValues.urlPem(List.of(persona.getCertificate())));
	}

}
