package dev.mtls.boot.identity;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

/**
 * What a trusted proxy says of a client certificate it verified, without the certificate
 * itself: Envoy's {@code x-forwarded-client-cert} element with {@code Hash},
 * {@code Subject}, {@code URI} and {@code DNS} but no {@code Cert}, as Istio sends it by
 * default. Nothing here can be validated; it counts only where the application trusts the
 * proxy's verification ({@code mtls.forwarded.trust-proxy-verification}), and becomes a
 * {@link CertificateIdentity} without certificate, issuer, serial or validity.
 * <p>
 * The servlet request attribute or WebFlux exchange attribute {@link #ATTRIBUTE} holds it
 * for the authentication filter, in place of a client certificate chain.
 *
 * @param sha256Fingerprint the certificate's SHA-256 fingerprint, 64 lower-case hex
 * digits
 * @param subject the subject DN in RFC 2253 form as the proxy wrote it (OpenSSL's short
 * names such as {@code title} or {@code organizationIdentifier} are read too), empty when
 * the proxy sent none
 * @param dnsNames the DNS subject alternative names
 * @param uris the URI subject alternative names
 * @since 0.1.0
 */
public record AttestedCertificate(String sha256Fingerprint, String subject, List<String> dnsNames, List<String> uris) {

	/**
	 * The name of the request or exchange attribute holding the attested certificate of a
	 * request forwarded by a trusted proxy.
	 */
	public static final String ATTRIBUTE = AttestedCertificate.class.getName();

	// OpenSSL's RFC 2253 names that the JDK does not know, as Envoy writes them.
	private static final Map<String, String> OPENSSL_KEYWORDS = Map.ofEntries(Map.entry("TITLE", "2.5.4.12"),
			Map.entry("DESCRIPTION", "2.5.4.13"), Map.entry("BUSINESSCATEGORY", "2.5.4.15"),
			Map.entry("POSTALADDRESS", "2.5.4.16"), Map.entry("POSTALCODE", "2.5.4.17"),
			Map.entry("TELEPHONENUMBER", "2.5.4.20"), Map.entry("NAME", "2.5.4.41"), Map.entry("PSEUDONYM", "2.5.4.65"),
			Map.entry("ORGANIZATIONIDENTIFIER", "2.5.4.97"), Map.entry("JURISDICTIONL", "1.3.6.1.4.1.311.60.2.1.1"),
			Map.entry("JURISDICTIONST", "1.3.6.1.4.1.311.60.2.1.2"),
			Map.entry("JURISDICTIONC", "1.3.6.1.4.1.311.60.2.1.3"));

	/**
	 * Create an attested certificate.
	 * @param sha256Fingerprint the certificate's SHA-256 fingerprint, 64 hex digits
	 * @param subject the subject DN in RFC 2253 form, empty when the proxy sent none
	 * @param dnsNames the DNS subject alternative names
	 * @param uris the URI subject alternative names
	 * @throws IllegalArgumentException if the fingerprint is not 64 hex digits or the
	 * subject is not an RFC 2253 distinguished name
	 */
	public AttestedCertificate {
		if (sha256Fingerprint.length() != 64 || !sha256Fingerprint.chars().allMatch(HexFormat::isHexDigit)) {
			throw new IllegalArgumentException("The SHA-256 fingerprint must be 64 hex digits");
		}
		sha256Fingerprint = sha256Fingerprint.toLowerCase(Locale.ROOT);
		// Parsed for its checks: the subject must be one, as a certificate's is.
		subjectPrincipal(subject);
		dnsNames = List.copyOf(dnsNames);
		uris = List.copyOf(uris);
	}

	/**
	 * Return the subject as a principal, as a certificate's would be.
	 * @return the subject
	 */
	public X500Principal subjectPrincipal() {
		return subjectPrincipal(this.subject);
	}

	/**
	 * Parse a subject as a proxy writes it.
	 * @param subject the subject DN in RFC 2253 form
	 * @return the subject
	 * @throws IllegalArgumentException if it is not an RFC 2253 distinguished name
	 */
	static X500Principal subjectPrincipal(String subject) {
		return new X500Principal(subject, OPENSSL_KEYWORDS);
	}

	/**
	 * Return whether every {@code spiffe://} URI the proxy attested, valid SPIFFE ID or
	 * not, is of the given trust domain, as {@link CertificateIdentity#isFederated()}
	 * reads them.
	 * @param trustDomain the trust domain
	 * @return whether no attested SPIFFE ID is of another trust domain
	 * @since 0.1.0
	 */
	public boolean claimsOnlyTrustDomain(String trustDomain) {
		return !SpiffeId.anyOfOtherTrustDomain(this.uris, trustDomain);
	}

	@Override
	public String toString() {
		return "'" + CertificateText.escape(this.subject) + "' (attested by the proxy, sha256 " + this.sha256Fingerprint
				+ ")";
	}

}
