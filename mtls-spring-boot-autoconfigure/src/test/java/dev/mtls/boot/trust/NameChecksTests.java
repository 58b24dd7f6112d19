package dev.mtls.boot.trust;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.CertificateRequest;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link NameChecks} through {@link CertificateValidator}: the syntax of
 * subject alternative names and name constraints, wildcards against exclusions, and the
 * bound on name constraint work.
 */
class NameChecksTests {

	private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private final CertificateAuthority ca = CertificateAuthority.create("Name Checks CA");

	@Test
	void validateClientWhenWellFormedNamesThenAccepted() throws Exception {
		IssuedCertificate leaf = this.ca.certificate("alice")
			.dnsNames("alice.example.com", "*.alice.example.com", "x-1.example.com")
			.ipAddresses("192.0.2.1", "2001:db8::1")
			.emails("alice@example.com")
			.clientAuth()
			.issue();

		assertThat(validator(this.ca).validateClient(leaf.getChain())).startsWith(leaf.getCertificate());
	}

	@Test
	void validateClientWhenDnsSanHasUnderscoreThenRefused() {
		IssuedCertificate leaf = this.ca.certificate("alice").dnsNames("foo_bar.example.com").clientAuth().issue();

		assertRefused(() -> validator(this.ca).validateClient(leaf.getChain()),
				"has a malformed subject alternative name: the DNS name 'foo_bar.example.com' is not in the preferred name syntax");
	}

	@Test
	void validateClientWhenDnsSanHasLeadingPeriodThenRefused() {
		IssuedCertificate leaf = this.ca.certificate("alice").dnsNames(".example.com").clientAuth().issue();

		assertRefused(() -> validator(this.ca).validateClient(leaf.getChain()), "the DNS name '.example.com'");
	}

	@Test
	void validateClientWhenDnsSanHasLineBreakThenRefusedAndEscaped() {
		IssuedCertificate leaf = this.ca.certificate("alice").dnsNames("a\nb.example.com").clientAuth().issue();

		assertRefused(() -> validator(this.ca).validateClient(leaf.getChain()), "the DNS name 'a\\nb.example.com'");
	}

	@Test
	void validateClientWhenIpSanIsRangeThenRefused() {
		IssuedCertificate leaf = this.ca.certificate("alice").ipAddresses("192.0.2.0/24").clientAuth().issue();

		assertRefused(() -> validator(this.ca).validateClient(leaf.getChain()), "an IP address of 8 octets");
	}

	@Test
	void validateClientWhenEmailSanHasTwoAtSignsThenRefused() {
		IssuedCertificate leaf = this.ca.certificate("alice")
			.emails("invalid@address@example.com")
			.clientAuth()
			.issue();

		assertRefused(() -> validator(this.ca).validateClient(leaf.getChain()),
				"the email address 'invalid@address@example.com' is not local-part@domain");
	}

	@Test
	void validateClientWhenConstraintsWellFormedAndNamesWithinThenAccepted() throws Exception {
		CertificateAuthority constrained = constrainedRoot(
				List.of(dns("example.com"), ip("192.0.2.0/24"), email(".example.com")),
				List.of(dns("bad.example.com")));
		IssuedCertificate leaf = constrained.certificate("alice")
			.dnsNames("alice.example.com", "*.alice.example.com")
			.ipAddresses("192.0.2.7")
			.emails("alice@mail.example.com")
			.clientAuth()
			.issue();

		assertThat(validator(constrained).validateClient(leaf.getChain())).startsWith(leaf.getCertificate());
	}

	@Test
	void validateClientWhenDnsConstraintHasLeadingPeriodThenRefused() {
		CertificateAuthority constrained = constrainedRoot(List.of(dns(".example.com")), List.of());
		IssuedCertificate leaf = constrained.certificate("alice").dnsNames("foo.example.com").clientAuth().issue();

		assertRefused(() -> validator(constrained).validateClient(leaf.getChain()),
				"has a malformed name constraint: the DNS name '.example.com'");
	}

	@Test
	void validateClientWhenIpConstraintHasNoMaskThenRefused() {
		CertificateAuthority constrained = constrainedRoot(
				List.of(new GeneralSubtree(
						new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] { 127, 0, 0, 1 })))),
				List.of());
		IssuedCertificate leaf = constrained.certificate("alice").ipAddresses("127.0.0.1").clientAuth().issue();

		assertRefused(() -> validator(constrained).validateClient(leaf.getChain()),
				"an IP address range of 4 octets (an address and a mask: 8 or 32)");
	}

	@Test
	void validateClientWhenIpConstraintMaskIsNotAPrefixThenRefused() {
		CertificateAuthority constrained = constrainedRoot(
				List.of(new GeneralSubtree(new GeneralName(GeneralName.iPAddress,
						new DEROctetString(new byte[] { (byte) 192, 0, 2, 0, (byte) 255, 0, (byte) 255, 0 })))),
				List.of());
		IssuedCertificate leaf = constrained.certificate("alice").ipAddresses("192.0.2.1").clientAuth().issue();

		assertRefused(() -> validator(constrained).validateClient(leaf.getChain()), "whose mask is not a prefix");
	}

	@Test
	void validateServerWhenWildcardSanCouldStandForExcludedNameThenRefused() {
		// CVE-2025-61727: '*.example.com' stands for the excluded 'bar.example.com'.
		CertificateAuthority constrained = constrainedRoot(List.of(dns("example.com")),
				List.of(dns("bar.example.com")));
		IssuedCertificate leaf = constrained.certificate("server").dnsNames("*.example.com").serverAuth().issue();

		assertRefused(() -> validator(constrained).validateServer(leaf.getChain(), "foo.example.com"),
				"has the wildcard name '*.example.com', which stands for 'bar.example.com', excluded by the name constraints");
	}

	@Test
	void validateServerWhenExclusionDeeperThanWildcardReachesThenAccepted() throws Exception {
		CertificateAuthority constrained = constrainedRoot(List.of(dns("example.com")),
				List.of(dns("a.bar.example.com")));
		IssuedCertificate leaf = constrained.certificate("server").dnsNames("*.example.com").serverAuth().issue();

		assertThat(validator(constrained).validateServer(leaf.getChain(), "foo.example.com"))
			.startsWith(leaf.getCertificate());
	}

	@Test
	void validateClientWhenNamesTimesConstraintsAboveBoundThenRefusedUnchecked() {
		List<GeneralSubtree> permitted = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			permitted.add(dns("t" + i + ".test"));
		}
		CertificateAuthority constrained = constrainedRoot(permitted, List.of());
		CertificateRequest request = constrained.certificate("alice").clientAuth();
		for (int i = 0; i < 1100; i++) {
			request.dnsNames("t" + i + ".test");
		}
		IssuedCertificate leaf = request.issue();

		assertRefused(() -> validator(constrained).validateClient(leaf.getChain()),
				"comes with 1101 names under 1000 name constraints: more than 1048576 comparisons, refused unchecked");
	}

	@Test
	void validateClientWhenChainHasMoreThan1024ConstraintsThenRefusedUnchecked() {
		List<GeneralSubtree> excluded = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			excluded.add(dns("x" + i + ".test"));
		}
		CertificateAuthority intermediate = constrainedCa(this.ca, List.of(), excluded);
		CertificateRequest request = intermediate.certificate("alice").clientAuth();
		request.dnsNames("t1.test");
		IssuedCertificate leaf = request.issue();

		assertRefused(() -> validator(this.ca).validateClient(leaf.getChain()),
				"comes with 2000 name constraints in its chain and anchor: more than 1024, refused unchecked");
	}

	@Test
	void validateClientWhenWithinTheSecondOfNotAfterThenAccepted() throws Exception {
		Instant notAfter = NOW.plus(Duration.ofHours(1));
		IssuedCertificate leaf = this.ca.certificate("alice")
			.validity(NOW.minus(Duration.ofHours(1)), notAfter)
			.clientAuth()
			.issue();
		Clock clock = Clock.fixed(notAfter.plusMillis(999), ZoneOffset.UTC);

		assertThat(validator(this.ca, clock).validateClient(leaf.getChain())).startsWith(leaf.getCertificate());
		assertThatExceptionOfType(CertificateRejectedException.class)
			.isThrownBy(() -> validator(this.ca, Clock.fixed(notAfter.plusSeconds(1), ZoneOffset.UTC))
				.validateClient(leaf.getChain()))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXPIRED));
	}

	private static CertificateValidator validator(CertificateAuthority authority) {
		return validator(authority, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static CertificateValidator validator(CertificateAuthority authority, Clock clock) {
		return CertificateValidator.of(List.of(authority.getCertificate()), List.of(), CertificatePolicy.DEFAULT,
				clock);
	}

	private static void assertRefused(ThrowingCallable validation, String message) {
		assertThatExceptionOfType(CertificateRejectedException.class).isThrownBy(validation)
			.withMessageContaining(message)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.POLICY));
	}

	private static GeneralSubtree dns(String name) {
		return new GeneralSubtree(new GeneralName(GeneralName.dNSName, name));
	}

	private static GeneralSubtree ip(String range) {
		return new GeneralSubtree(new GeneralName(GeneralName.iPAddress, range));
	}

	private static GeneralSubtree email(String constraint) {
		return new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, constraint));
	}

	/**
	 * A self-signed root with critical name constraints.
	 */
	private static CertificateAuthority constrainedRoot(List<GeneralSubtree> permitted, List<GeneralSubtree> excluded) {
		return constrainedCa(null, permitted, excluded);
	}

	/**
	 * A CA with critical name constraints, self-signed or issued by another CA.
	 */
	private static CertificateAuthority constrainedCa(@Nullable CertificateAuthority issuer,
			List<GeneralSubtree> permitted, List<GeneralSubtree> excluded) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			KeyPair keys = generator.generateKeyPair();
			X500Name subject = new X500Name("CN=Constrained CA " + System.nanoTime());
			X500Name issuerName = (issuer != null)
					? X500Name.getInstance(issuer.getCertificate().getSubjectX500Principal().getEncoded()) : subject;
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
					BigInteger.valueOf(System.nanoTime()), Date.from(NOW.minus(Duration.ofDays(1))),
					Date.from(NOW.plus(Duration.ofDays(30))), subject, keys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(keys.getPublic()));
			if (issuer != null) {
				builder.addExtension(Extension.authorityKeyIdentifier, false,
						extensions.createAuthorityKeyIdentifier(issuer.getCertificate()));
			}
			builder.addExtension(Extension.nameConstraints, true,
					new NameConstraints(permitted.isEmpty() ? null : permitted.toArray(GeneralSubtree[]::new),
							excluded.isEmpty() ? null : excluded.toArray(GeneralSubtree[]::new)));
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
					.build((issuer != null) ? issuer.getPrivateKey() : keys.getPrivate())));
			return CertificateAuthority.of(certificate, keys.getPrivate());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
