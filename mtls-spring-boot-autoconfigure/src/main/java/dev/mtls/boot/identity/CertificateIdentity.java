package dev.mtls.boot.identity;

import java.io.Serializable;
import java.math.BigInteger;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.jspecify.annotations.Nullable;

/**
 * Who a verified client certificate says its holder is: the principal of an mTLS
 * request. Get it in a controller with {@code @AuthenticationPrincipal CertificateIdentity}.
 *
 * @since 0.1.0
 */
public final class CertificateIdentity implements Principal, Serializable {

	private static final long serialVersionUID = 1L;

	private final String name;

	private final String subject;

	private final @Nullable String commonName;

	private final String issuer;

	private final BigInteger serialNumber;

	private final transient X509Certificate certificate;

	private CertificateIdentity(X509Certificate certificate, String name, @Nullable String commonName) {
		this.certificate = certificate;
		this.name = name;
		this.subject = certificate.getSubjectX500Principal().getName();
		this.commonName = commonName;
		this.issuer = certificate.getIssuerX500Principal().getName();
		this.serialNumber = certificate.getSerialNumber();
	}

	/**
	 * Create the identity of a certificate, named by its subject common name.
	 * @param certificate the client's (leaf) certificate
	 * @return the identity
	 * @throws MissingIdentityAttributeException if the subject has no common name
	 */
	public static CertificateIdentity of(X509Certificate certificate) {
		String commonName = commonName(certificate);
		if (commonName == null) {
			throw new MissingIdentityAttributeException("cn", certificate.getSubjectX500Principal().getName());
		}
		return new CertificateIdentity(certificate, commonName, commonName);
	}

	private static @Nullable String commonName(X509Certificate certificate) {
		try {
			List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
			// LdapName lists RDNs from the least to the most specific: the last CN wins.
			for (int i = rdns.size() - 1; i >= 0; i--) {
				Rdn rdn = rdns.get(i);
				if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String value) {
					return value;
				}
			}
			return null;
		}
		catch (InvalidNameException ex) {
			return null;
		}
	}

	/**
	 * Return the principal name: the subject common name.
	 * @return the name
	 */
	@Override
	public String getName() {
		return this.name;
	}

	/**
	 * Return the subject distinguished name in RFC 2253 form.
	 * @return the subject DN
	 */
	public String getSubject() {
		return this.subject;
	}

	public @Nullable String getCommonName() {
		return this.commonName;
	}

	/**
	 * Return the issuer distinguished name in RFC 2253 form.
	 * @return the issuer DN
	 */
	public String getIssuer() {
		return this.issuer;
	}

	public BigInteger getSerialNumber() {
		return this.serialNumber;
	}

	public X509Certificate getCertificate() {
		return this.certificate;
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof CertificateIdentity other) && this.certificate.equals(other.certificate);
	}

	@Override
	public int hashCode() {
		return this.certificate.hashCode();
	}

	@Override
	public String toString() {
		return "CertificateIdentity[" + this.subject + "]";
	}

}
