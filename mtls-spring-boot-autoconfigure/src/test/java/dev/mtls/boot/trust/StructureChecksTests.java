package dev.mtls.boot.trust;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the RFC 5280 profile rules of {@link StructureChecks} through
 * {@link CertificateValidator}: a CA certificate in leaf position, and name constraints
 * whether marked critical or not.
 */
class StructureChecksTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Structure Checks CA");

	@Test
	void validateServerWhenLeafIsCaAllowedToSignCertificatesThenAccepted() throws Exception {
		// RFC 5280 lets a CA certificate stand in leaf position.
		IssuedCertificate leaf = this.ca.certificate("ca.example.com").dnsNames("ca.example.com").ca().issue();

		assertThat(validator(this.ca.getCertificate()).validateServer(leaf.getChain(), "ca.example.com"))
			.startsWith(leaf.getCertificate());
	}

	@Test
	void validateServerWhenLeafIsCaWhoseKeyUsageForbidsSigningCertificatesThenRefused() {
		X509Certificate leaf = issue(this.ca, "server.example.com", KeyUsage.digitalSignature);

		assertThatExceptionOfType(CertificateRejectedException.class)
			.isThrownBy(() -> validator(this.ca.getCertificate()).validateServer(List.of(leaf), "server.example.com"))
			.withMessageContaining("is a CA (basic constraints) whose key usage does not allow signing certificates")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.POLICY));
	}

	@Test
	void validateServerWhenLeafIsCaWhoseKeyUsageForbidsSigningCertificatesButIsTheTrustAnchorThenAccepted()
			throws Exception {
		// A certificate trusted as itself (pinned) is checked as an anchor, not as a
		// leaf;
		// the peer presents its own copy, as in a handshake.
		X509Certificate pinned = issue(this.ca, "server.example.com", KeyUsage.digitalSignature);
		X509Certificate presented = copy(pinned);

		assertThat(validator(pinned).validateServer(List.of(presented), "server.example.com")).startsWith(presented);
	}

	@ParameterizedTest(name = "presented as the trusted object itself: {0}")
	@ValueSource(booleans = { true, false })
	void validateClientWhenSelfSignedLeafIsTheTrustAnchorThenAcceptedWhicheverCopyIsPresented(boolean sameObject)
			throws Exception {
		// A pinned self-signed client certificate as keytool makes it: no basic
		// constraints. A handshake presents a copy of its own, not the trusted object.
		X509Certificate pinned = selfSignedLeaf();
		X509Certificate presented = sameObject ? pinned : copy(pinned);

		assertThat(validator(pinned).validateClient(List.of(presented))).startsWith(presented);
	}

	@ParameterizedTest(name = "critical: {0}")
	@ValueSource(booleans = { true, false })
	void validateClientWhenAnchorHasNameConstraintsCriticalOrNotThenEnforced(boolean critical) throws Exception {
		// RFC 5280 asks CAs to mark them critical, but cert-manager and Go's x509 do not
		// by default; the JDK enforces them either way.
		CertificateAuthority root = constrainedRoot(critical);
		IssuedCertificate inside = root.certificate("alice").dnsNames("alice.example.com").clientAuth().issue();
		IssuedCertificate outside = root.certificate("mallory").dnsNames("mallory.example.org").clientAuth().issue();

		assertThat(validator(root.getCertificate()).validateClient(inside.getChain()))
			.startsWith(inside.getCertificate());
		assertThatExceptionOfType(CertificateRejectedException.class)
			.isThrownBy(() -> validator(root.getCertificate()).validateClient(outside.getChain()));
	}

	private static CertificateValidator validator(X509Certificate trusted) {
		return CertificateValidator.of(List.of(trusted), List.of(), CertificatePolicy.DEFAULT, Clock.systemUTC());
	}

	// An equal certificate that is another object: the JDK's certificate factory would
	// answer its cached instance for the same encoding.
	private static X509Certificate copy(X509Certificate certificate) throws Exception {
		return (X509Certificate) CertificateFactory.getInstance("X.509", new BouncyCastleProvider())
			.generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
	}

	// A self-signed certificate as keytool -genkeypair makes it: a subject key identifier
	// and no other extension.
	private static X509Certificate selfSignedLeaf() throws Exception {
		KeyPair keys = keys();
		X500Name subject = new X500Name("CN=pinned-client");
		JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
		builder.addExtension(Extension.subjectKeyIdentifier, false,
				new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
		return sign(builder, keys);
	}

	// A self-signed root permitting example.com, its name constraints critical or not.
	private static CertificateAuthority constrainedRoot(boolean critical) {
		try {
			KeyPair keys = keys();
			X500Name subject = new X500Name("CN=Constrained Root " + System.nanoTime());
			JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
			builder.addExtension(Extension.nameConstraints, critical, new NameConstraints(
					new GeneralSubtree[] { new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com")) },
					null));
			return CertificateAuthority.of(sign(builder, keys), keys.getPrivate());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	// A certificate of the CA with the given key usage, a CA by its basic constraints.
	private static X509Certificate issue(CertificateAuthority issuer, String dnsName, int keyUsage) {
		try {
			KeyPair keys = keys();
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			JcaX509v3CertificateBuilder builder = builder(
					X500Name.getInstance(issuer.getCertificate().getSubjectX500Principal().getEncoded()),
					new X500Name("CN=" + dnsName), keys);
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(keys.getPublic()));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(issuer.getCertificate()));
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
			return new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivateKey())));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
		Instant now = Instant.now();
		return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
				Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
				keys.getPublic());
	}

	private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair keys) throws Exception {
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
	}

	private static KeyPair keys() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		return generator.generateKeyPair();
	}

}
