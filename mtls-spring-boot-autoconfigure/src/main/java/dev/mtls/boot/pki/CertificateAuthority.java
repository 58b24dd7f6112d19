package dev.mtls.boot.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that mints X.509 certificates with BouncyCastle, for dev mode
 * and tests. Keys are EC P-256 unless a request asks for RSA.
 *
 * <pre class="code">
 * CertificateAuthority ca = CertificateAuthority.create("Dev CA");
 * IssuedCertificate alice = ca.certificate("alice").clientAuth().issue();
 * </pre>
 *
 * @since 0.1.0
 */
public final class CertificateAuthority {

	private final IssuedCertificate certificate;

	private CertificateAuthority(IssuedCertificate certificate) {
		this.certificate = certificate;
	}

	/**
	 * Create a self-signed root CA valid for ten years.
	 * @param commonName the CA's common name
	 * @return the new CA
	 */
	public static CertificateAuthority create(String commonName) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		return new CertificateAuthority(new CertificateRequest(null, commonName).ca()
			.validity(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(3650)))
			.issue());
	}

	/**
	 * Use an existing CA certificate and its private key.
	 * @param certificate the CA certificate
	 * @param privateKey its private key
	 * @return the CA
	 */
	public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
		return new CertificateAuthority(
				new IssuedCertificate(new KeyPair(certificate.getPublicKey(), privateKey), List.of(certificate)));
	}

	static CertificateAuthority of(IssuedCertificate certificate) {
		return new CertificateAuthority(certificate);
	}

	/**
	 * Start a request for a certificate signed by this CA.
	 * @param commonName the subject's common name
	 * @return a request to refine and {@link CertificateRequest#issue() issue}
	 */
	public CertificateRequest certificate(String commonName) {
		return new CertificateRequest(this.certificate, commonName);
	}

	/**
	 * Start a request for a self-signed certificate (signed by its own key, not by any
	 * CA).
	 * @param commonName the subject's common name
	 * @return a request to refine and issue
	 */
	public static CertificateRequest selfSigned(String commonName) {
		return new CertificateRequest(null, commonName);
	}

	/**
	 * Issue a CRL revoking the given certificates, valid from now for the given time.
	 * @param validFor time until the CRL's next update
	 * @param revoked the certificates to revoke
	 * @return the CRL as PEM
	 */
	public String crl(Duration validFor, IssuedCertificate... revoked) {
		try {
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(getCertificate(),
					Date.from(now.minus(Duration.ofMinutes(5))));
			builder.setNextUpdate(Date.from(now.plus(validFor)));
			builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getEpochSecond())));
			// RFC 5280 5.2.1: which of its issuer's keys signed it.
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(getCertificate().getPublicKey()));
			for (IssuedCertificate certificate : revoked) {
				builder.addCRLEntry(certificate.getCertificate().getSerialNumber(),
						Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.keyCompromise);
			}
			String algorithm = "RSA".equals(getPrivateKey().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
			X509CRLHolder crl = builder.build(new JcaContentSignerBuilder(algorithm).build(getPrivateKey()));
			StringWriter text = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
				writer.writeObject(crl);
			}
			return text.toString();
		}
		catch (IOException | OperatorCreationException | NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Unable to issue CRL", ex);
		}
	}

	/**
	 * Return the CA's own certificate and key.
	 * @return the CA certificate
	 */
	public IssuedCertificate asIssued() {
		return this.certificate;
	}

	public X509Certificate getCertificate() {
		return this.certificate.getCertificate();
	}

	public PrivateKey getPrivateKey() {
		return this.certificate.getPrivateKey();
	}

}
