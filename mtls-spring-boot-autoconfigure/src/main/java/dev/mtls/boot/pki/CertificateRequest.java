package dev.mtls.boot.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A certificate to be minted: subject, names, usages, validity and key type. Created by
 * {@link CertificateAuthority}.
 *
 * @since 0.1.0
 */
public final class CertificateRequest {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final @Nullable IssuedCertificate issuer;

	private @Nullable String commonName;

	private @Nullable X500Name subject;

	private final List<String> organizationalUnits = new ArrayList<>();

	private final List<String> organizations = new ArrayList<>();

	final List<GeneralName> subjectAlternativeNames = new ArrayList<>();

	final List<KeyPurposeId> extendedKeyUsages = new ArrayList<>();

	boolean ca;

	int rsaKeySize;

	private @Nullable String signatureAlgorithm;

	@Nullable String ocspResponder;

	@Nullable String crlDistributionPoint;

	private Instant notBefore;

	private Instant notAfter;

	CertificateRequest(@Nullable IssuedCertificate issuer, String commonName) {
		this.issuer = issuer;
		this.commonName = commonName;
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.notBefore = now.minus(Duration.ofMinutes(5));
		this.notAfter = now.plus(Duration.ofDays(365));
	}

	/**
	 * Add an organizational unit to the subject.
	 * @param organizationalUnit the OU
	 * @return this request
	 */
	public CertificateRequest organizationalUnit(String organizationalUnit) {
		this.organizationalUnits.add(organizationalUnit);
		return this;
	}

	/**
	 * Add an organization to the subject.
	 * @param organization the O
	 * @return this request
	 */
	public CertificateRequest organization(String organization) {
		this.organizations.add(organization);
		return this;
	}

	/**
	 * Use this subject DN, in RFC 4514 form (multi-valued RDNs and escapes allowed),
	 * instead of the common name, OUs and Os.
	 * @param distinguishedName the subject DN, most specific RDN first
	 * @return this request
	 */
	public CertificateRequest subject(String distinguishedName) {
		this.subject = X500Name.getInstance(new X500Principal(distinguishedName).getEncoded());
		return this;
	}

	/**
	 * Leave the common name out of the subject, as certificates that name their holder
	 * only by SANs do.
	 * @return this request
	 */
	public CertificateRequest withoutCommonName() {
		this.commonName = null;
		return this;
	}

	boolean hasEmptySubject() {
		return subject().getRDNs().length == 0;
	}

	private X500Name subject() {
		if (this.subject != null) {
			return this.subject;
		}
		// Most significant first in the encoding, so that the RFC 4514 text reads
		// CN=..,OU=..,O=..
		X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
		this.organizations.forEach((organization) -> subject.addRDN(BCStyle.O, organization));
		this.organizationalUnits.forEach((unit) -> subject.addRDN(BCStyle.OU, unit));
		if (this.commonName != null) {
			subject.addRDN(BCStyle.CN, this.commonName);
		}
		return subject.build();
	}

	/**
	 * Add DNS subject alternative names.
	 * @param names the host names
	 * @return this request
	 */
	public CertificateRequest dnsNames(String... names) {
		for (String name : names) {
			this.subjectAlternativeNames.add(new GeneralName(GeneralName.dNSName, name));
		}
		return this;
	}

	/**
	 * Add IP address subject alternative names.
	 * @param addresses the IPv4 or IPv6 literals
	 * @return this request
	 */
	public CertificateRequest ipAddresses(String... addresses) {
		for (String address : addresses) {
			this.subjectAlternativeNames.add(new GeneralName(GeneralName.iPAddress, address));
		}
		return this;
	}

	/**
	 * Add URI subject alternative names, such as a SPIFFE ID.
	 * @param uris the URIs
	 * @return this request
	 */
	public CertificateRequest uris(String... uris) {
		for (String uri : uris) {
			this.subjectAlternativeNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
		}
		return this;
	}

	/**
	 * Add e-mail subject alternative names.
	 * @param addresses the e-mail addresses
	 * @return this request
	 */
	public CertificateRequest emails(String... addresses) {
		for (String address : addresses) {
			this.subjectAlternativeNames.add(new GeneralName(GeneralName.rfc822Name, address));
		}
		return this;
	}

	/**
	 * Add the serverAuth extended key usage.
	 * @return this request
	 */
	public CertificateRequest serverAuth() {
		this.extendedKeyUsages.add(KeyPurposeId.id_kp_serverAuth);
		return this;
	}

	/**
	 * Add the clientAuth extended key usage.
	 * @return this request
	 */
	public CertificateRequest clientAuth() {
		this.extendedKeyUsages.add(KeyPurposeId.id_kp_clientAuth);
		return this;
	}

	/**
	 * Make the certificate a CA certificate (basic constraints CA, keyCertSign and
	 * cRLSign).
	 * @return this request
	 */
	public CertificateRequest ca() {
		this.ca = true;
		return this;
	}

	/**
	 * Use an RSA key of the given size instead of EC P-256.
	 * @param keySize the key size in bits
	 * @return this request
	 */
	public CertificateRequest rsa(int keySize) {
		this.rsaKeySize = keySize;
		return this;
	}

	/**
	 * Sign with this algorithm (for example {@code SHA1withRSA}, to test that weak
	 * signatures are refused) instead of SHA-256 with the issuer's key type.
	 * @param signatureAlgorithm a JCA signature algorithm name
	 * @return this request
	 */
	public CertificateRequest signatureAlgorithm(String signatureAlgorithm) {
		this.signatureAlgorithm = signatureAlgorithm;
		return this;
	}

	/**
	 * Name an OCSP responder in the certificate's authority information access.
	 * @param url the responder's URL
	 * @return this request
	 */
	public CertificateRequest ocspResponder(String url) {
		this.ocspResponder = url;
		return this;
	}

	/**
	 * Name a CRL distribution point.
	 * @param url where the issuer's CRL is published
	 * @return this request
	 */
	public CertificateRequest crlDistributionPoint(String url) {
		this.crlDistributionPoint = url;
		return this;
	}

	/**
	 * Set the validity period.
	 * @param notBefore start of validity
	 * @param notAfter end of validity
	 * @return this request
	 */
	public CertificateRequest validity(Instant notBefore, Instant notAfter) {
		this.notBefore = notBefore;
		this.notAfter = notAfter;
		return this;
	}

	/**
	 * Mint the certificate and its key pair.
	 * @return the issued certificate with its chain up to, not including, the root
	 */
	public IssuedCertificate issue() {
		try {
			KeyPair keyPair = CertificateKeys.generate(this.rsaKeySize);
			X500Name subjectName = subject();
			X500Name issuerName = (this.issuer != null)
					? X500Name.getInstance(this.issuer.getCertificate().getSubjectX500Principal().getEncoded())
					: subjectName;
			PublicKey issuerPublicKey = (this.issuer != null) ? this.issuer.getCertificate().getPublicKey()
					: keyPair.getPublic();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
					new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(this.notBefore),
					Date.from(this.notAfter), subjectName, keyPair.getPublic());
			CertificateExtensions.add(builder, this, keyPair.getPublic(), issuerPublicKey);
			KeyPair signer = (this.issuer != null) ? this.issuer.getKeyPair() : keyPair;
			X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder
				.build(new JcaContentSignerBuilder((this.signatureAlgorithm != null) ? this.signatureAlgorithm
						: CertificateKeys.signatureAlgorithm(signer))
					.build(signer.getPrivate())));
			List<X509Certificate> chain = new ArrayList<>();
			chain.add(certificate);
			if (this.issuer != null && !isSelfSigned(this.issuer.getCertificate())) {
				chain.addAll(this.issuer.getChain());
			}
			return new IssuedCertificate(keyPair, chain);
		}
		catch (GeneralSecurityException | OperatorCreationException | CertIOException ex) {
			throw new IllegalStateException("Unable to mint certificate for " + subject(), ex);
		}
	}

	private static boolean isSelfSigned(X509Certificate certificate) {
		return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
	}

}
