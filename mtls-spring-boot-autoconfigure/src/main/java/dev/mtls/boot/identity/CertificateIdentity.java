package dev.mtls.boot.identity;

import java.io.Serializable;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.jspecify.annotations.Nullable;

/**
 * Who a verified client certificate says its holder is: subject, common name, subject
 * alternative names, SPIFFE ID, issuer, serial, fingerprint, validity and chain. It is
 * the principal of an mTLS request; get it in a controller with
 * {@code @AuthenticationPrincipal CertificateIdentity caller}.
 * <p>
 * An identity that a trusted proxy {@linkplain #isAttestedByProxy() attested} without
 * forwarding the certificate ({@code mtls.forwarded.trust-proxy-verification}) has only
 * what the proxy said: subject, DNS and URI names, SPIFFE ID and fingerprint; its chain
 * is empty, and its certificate, issuer, serial and validity are {@code null}.
 * <p>
 * With SPIFFE, the identity of a peer of another, federated, trust domain
 * ({@link #isFederated()}) is named by its SPIFFE ID and matches identity patterns by
 * SPIFFE ID and fingerprint only: its trust domain's CA vouches for nothing else.
 * <p>
 * Built once per distinct certificate; every attribute is computed up front, so reading
 * or matching it costs nothing per request.
 * <p>
 * It is deliberately not a {@code java.security.Principal}: WebFlux resolves a handler
 * parameter of a {@code Principal} type from the exchange's principal (the
 * authentication) before Spring Security's {@code @AuthenticationPrincipal} resolver sees
 * it, which would make {@code @AuthenticationPrincipal CertificateIdentity} fail there.
 *
 * @since 0.1.0
 */
public final class CertificateIdentity implements Serializable {

	private static final long serialVersionUID = 1L;

	private final String name;

	private final String subject;

	private final String canonicalSubject;

	private final @Nullable String commonName;

	private final List<String> dnsNames;

	private final List<String> uris;

	private final List<String> emails;

	private final List<String> ipAddresses;

	private final @Nullable String spiffeId;

	private final @Nullable String issuer;

	private final @Nullable String canonicalIssuer;

	private final @Nullable String subjectKey;

	private final @Nullable String issuerKey;

	private final @Nullable BigInteger serialNumber;

	private final String sha256Fingerprint;

	private final @Nullable Instant notBefore;

	private final @Nullable Instant notAfter;

	private final List<X509Certificate> chain;

	private final boolean federated;

	// An empty chain: attested by a proxy, with none of the certificate's own fields.
	private CertificateIdentity(List<X509Certificate> chain, CertificateAttributes attributes,
			PrincipalName principalName, @Nullable String localTrustDomain) {
		X509Certificate certificate = chain.isEmpty() ? null : chain.get(0);
		this.chain = List.copyOf(chain);
		this.federated = attributes.isFederated(localTrustDomain);
		// Its trust domain's CA vouches for its SPIFFE ID alone.
		this.name = name(attributes, this.federated ? PrincipalName.SPIFFE_ID : principalName);
		this.subject = attributes.subject;
		this.canonicalSubject = attributes.canonicalSubject;
		this.commonName = attributes.commonName;
		this.dnsNames = attributes.dnsNames;
		this.uris = attributes.uris;
		this.emails = attributes.emails;
		this.ipAddresses = attributes.ipAddresses;
		this.spiffeId = attributes.spiffeId;
		this.sha256Fingerprint = attributes.sha256Fingerprint;
		X500Principal issuer = (certificate != null) ? certificate.getIssuerX500Principal() : null;
		this.issuer = (issuer != null) ? issuer.getName() : null;
		this.canonicalIssuer = (issuer != null) ? issuer.getName(X500Principal.CANONICAL) : null;
		this.subjectKey = attributes.subjectKey;
		this.issuerKey = (issuer != null) ? DistinguishedNameKey.of(issuer) : null;
		this.serialNumber = (certificate != null) ? certificate.getSerialNumber() : null;
		this.notBefore = (certificate != null) ? certificate.getNotBefore().toInstant() : null;
		this.notAfter = (certificate != null) ? certificate.getNotAfter().toInstant() : null;
	}

	/**
	 * Create the identity of a certificate, named by its subject common name.
	 * @param certificate the client's (leaf) certificate
	 * @return the identity
	 * @throws MissingIdentityAttributeException if the subject has no common name
	 */
	public static CertificateIdentity of(X509Certificate certificate) {
		return of(List.of(certificate), PrincipalName.CN);
	}

	/**
	 * Create the identity of a verified chain, named by the given attribute.
	 * @param chain the client's chain, leaf first
	 * @param principalName the attribute that names the principal
	 * @return the identity
	 * @throws MissingIdentityAttributeException if the leaf lacks that attribute
	 */
	public static CertificateIdentity of(List<X509Certificate> chain, PrincipalName principalName) {
		return of(chain, principalName, null);
	}

	/**
	 * Create the identity of a verified chain of a workload that validates its peers by
	 * SPIFFE trust domain, named by the given attribute, or by its SPIFFE ID if it is
	 * {@linkplain #isFederated() federated}.
	 * @param chain the client's chain, leaf first
	 * @param principalName the attribute that names the principal
	 * @param localTrustDomain the workload's own trust domain (that of its SVID), or
	 * {@code null} without SPIFFE, where no identity is federated
	 * @return the identity
	 * @throws MissingIdentityAttributeException if the leaf lacks that attribute
	 * @since 0.1.0
	 */
	public static CertificateIdentity of(List<X509Certificate> chain, PrincipalName principalName,
			@Nullable String localTrustDomain) {
		CertificateAttributes attributes = new CertificateAttributes(chain.get(0));
		return new CertificateIdentity(chain, attributes, principalName, localTrustDomain);
	}

	/**
	 * Create the identity of a certificate that a trusted proxy verified and described
	 * without forwarding it, named by the given attribute.
	 * @param attested what the proxy said of the certificate
	 * @param principalName the attribute that names the principal
	 * @return the identity, {@linkplain #isAttestedByProxy() attested by a proxy}
	 * @throws MissingIdentityAttributeException if the proxy did not say that attribute
	 */
	public static CertificateIdentity attested(AttestedCertificate attested, PrincipalName principalName) {
		return attested(attested, principalName, null);
	}

	/**
	 * Create the identity of a certificate that a trusted proxy verified and described
	 * without forwarding it, for a workload that validates its peers by SPIFFE trust
	 * domain: named by the given attribute, or by its SPIFFE ID if it is
	 * {@linkplain #isFederated() federated}.
	 * @param attested what the proxy said of the certificate
	 * @param principalName the attribute that names the principal
	 * @param localTrustDomain the workload's own trust domain (that of its SVID), or
	 * {@code null} without SPIFFE, where no identity is federated
	 * @return the identity, {@linkplain #isAttestedByProxy() attested by a proxy}
	 * @throws MissingIdentityAttributeException if the proxy did not say that attribute
	 * @since 0.1.0
	 */
	public static CertificateIdentity attested(AttestedCertificate attested, PrincipalName principalName,
			@Nullable String localTrustDomain) {
		CertificateAttributes attributes = new CertificateAttributes(attested);
		return new CertificateIdentity(List.of(), attributes, principalName, localTrustDomain);
	}

	private static String name(CertificateAttributes attributes, PrincipalName principalName) {
		String name = switch (principalName) {
			case CN -> attributes.commonName;
			case SUBJECT -> attributes.subject;
			case SPIFFE_ID -> attributes.spiffeId;
			case DNS -> first(attributes.dnsNames);
			case URI -> first(attributes.uris);
			case EMAIL -> first(attributes.emails);
		};
		if (name == null) {
			String reason = (principalName == PrincipalName.SPIFFE_ID && attributes.spiffeIdProblem != null)
					? attributes.spiffeIdProblem : "no " + principalName.attribute();
			throw new MissingIdentityAttributeException(attributes.subject, reason);
		}
		return name;
	}

	private static @Nullable String first(List<String> values) {
		return values.isEmpty() ? null : values.get(0);
	}

	/**
	 * Return the principal name: the attribute chosen by {@code mtls.principal.name}, the
	 * subject common name by default; the SPIFFE ID of a {@linkplain #isFederated()
	 * federated} identity.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the subject distinguished name in RFC 2253 form, as the JDK renders it.
	 * @return the subject DN
	 */
	public String getSubject() {
		return this.subject;
	}

	/**
	 * Return the subject DN in the JDK's RFC 2253 canonical form (lower case, normalized
	 * spacing and escapes, sorted multi-valued RDNs). It folds the case of every script
	 * and compatibility forms ({@code CN=admın} with a dotless i reads {@code cn=admin}),
	 * so do not compare it with a name to grant access: identity patterns compare ASCII
	 * letters only without case.
	 * @return the canonical subject DN
	 */
	public String getCanonicalSubject() {
		return this.canonicalSubject;
	}

	public @Nullable String getCommonName() {
		return this.commonName;
	}

	public List<String> getDnsNames() {
		return this.dnsNames;
	}

	public List<String> getUris() {
		return this.uris;
	}

	public List<String> getEmails() {
		return this.emails;
	}

	/**
	 * Return the IP address SANs as the JDK renders them (IPv6 uncompressed).
	 * @return the IP addresses
	 */
	public List<String> getIpAddresses() {
		return this.ipAddresses;
	}

	/**
	 * Return the SPIFFE ID: the certificate's only {@code spiffe://} URI SAN, if it is a
	 * valid SPIFFE ID. A certificate with more than one has none.
	 * @return the SPIFFE ID or {@code null}
	 */
	public @Nullable String getSpiffeId() {
		return this.spiffeId;
	}

	/**
	 * Return the trust domain of the SPIFFE ID, such as {@code acme.org} for
	 * {@code spiffe://acme.org/ns/shop/sa/checkout}.
	 * @return the trust domain, or {@code null} without a SPIFFE ID
	 * @since 0.1.0
	 */
	public @Nullable String getTrustDomain() {
		String spiffeId = this.spiffeId;
		return (spiffeId != null) ? SpiffeId.trustDomain(spiffeId) : null;
	}

	/**
	 * Return the issuer distinguished name in RFC 2253 form.
	 * @return the issuer DN, {@code null} for an identity attested by a proxy
	 */
	public @Nullable String getIssuer() {
		return this.issuer;
	}

	/**
	 * Return the issuer DN in the JDK's RFC 2253 canonical form (see
	 * {@link #getCanonicalSubject()}: not for access decisions).
	 * @return the canonical issuer DN, {@code null} for an identity attested by a proxy
	 */
	public @Nullable String getCanonicalIssuer() {
		return this.canonicalIssuer;
	}

	// The subject and issuer as identity patterns compare them (DistinguishedNameKey).
	@Nullable String getSubjectKey() {
		return this.subjectKey;
	}

	@Nullable String getIssuerKey() {
		return this.issuerKey;
	}

	/**
	 * Return the certificate's serial number.
	 * @return the serial number, {@code null} for an identity attested by a proxy
	 */
	public @Nullable BigInteger getSerialNumber() {
		return this.serialNumber;
	}

	/**
	 * Return the SHA-256 fingerprint of the DER certificate, as lower-case hex without
	 * separators.
	 * @return the fingerprint
	 */
	public String getSha256Fingerprint() {
		return this.sha256Fingerprint;
	}

	/**
	 * Return the start of the certificate's validity.
	 * @return the start, {@code null} for an identity attested by a proxy
	 */
	public @Nullable Instant getNotBefore() {
		return this.notBefore;
	}

	/**
	 * Return the end of the certificate's validity.
	 * @return the end, {@code null} for an identity attested by a proxy
	 */
	public @Nullable Instant getNotAfter() {
		return this.notAfter;
	}

	/**
	 * Return the verified chain the client presented, leaf first.
	 * @return the chain, empty for an identity attested by a proxy
	 */
	public List<X509Certificate> getChain() {
		return this.chain;
	}

	/**
	 * Return the client's (leaf) certificate.
	 * @return the certificate, {@code null} for an identity attested by a proxy
	 */
	public @Nullable X509Certificate getCertificate() {
		return this.chain.isEmpty() ? null : this.chain.get(0);
	}

	/**
	 * Return whether a trusted proxy described the certificate without forwarding it
	 * ({@code mtls.forwarded.trust-proxy-verification}): the identity then has no chain,
	 * certificate, issuer, serial or validity, and nothing of it was validated here.
	 * @return whether the identity was attested by a proxy
	 */
	public boolean isAttestedByProxy() {
		return this.chain.isEmpty();
	}

	/**
	 * Return whether the certificate is of a federated SPIFFE trust domain: the workload
	 * validates its peers by trust domain ({@code mtls.spiffe.enabled}), and a
	 * {@code spiffe://} URI of the certificate names a trust domain other than the
	 * workload's own. That domain's CA vouches only for SPIFFE IDs of its own domain, not
	 * for the subject, common name, issuer or other subject alternative names, which it
	 * can set to anything, including names of the workload's own domain. Such an identity
	 * is therefore named by its SPIFFE ID, and of the {@link IdentityPattern} forms only
	 * {@code *}, {@code spiffe://}, {@code sha256:} and {@code authority:} match it; code
	 * that decides by its other attributes should check this first.
	 * @return whether the identity is of a federated trust domain
	 * @since 0.1.0
	 */
	public boolean isFederated() {
		return this.federated;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj instanceof CertificateIdentity other) && this.sha256Fingerprint.equals(other.sha256Fingerprint)
				&& this.name.equals(other.name) && this.federated == other.federated;
	}

	@Override
	public int hashCode() {
		return this.sha256Fingerprint.hashCode();
	}

	@Override
	public String toString() {
		return "CertificateIdentity[" + CertificateText.escape(this.subject) + "]";
	}

}
