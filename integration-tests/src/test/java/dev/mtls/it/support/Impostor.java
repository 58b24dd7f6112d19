package dev.mtls.it.support;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import dev.mtls.boot.pki.CertificateAuthority;

import org.springframework.util.Assert;

/**
 * A CA with the name of a trusted one and a key of its own: what it issues names the
 * trusted CA as its issuer but does not chain to it, so only the signature tells them
 * apart.
 */
public final class Impostor {

	private Impostor() {
	}

	/**
	 * Create a root CA with the same subject as {@code genuine}.
	 * @param genuine a CA whose subject is a common name only
	 * @return the impostor
	 */
	public static CertificateAuthority of(CertificateAuthority genuine) {
		X500Principal subject = genuine.getCertificate().getSubjectX500Principal();
		CertificateAuthority impostor = CertificateAuthority.create(commonName(subject));
		Assert.state(impostor.getCertificate().getSubjectX500Principal().equals(subject),
				() -> "The impostor of " + subject + " has another name");
		return impostor;
	}

	private static String commonName(X500Principal subject) {
		try {
			for (Rdn rdn : new LdapName(subject.getName()).getRdns()) {
				if ("CN".equalsIgnoreCase(rdn.getType())) {
					return rdn.getValue().toString();
				}
			}
		}
		catch (InvalidNameException ex) {
			throw new IllegalArgumentException("Not a distinguished name: " + subject, ex);
		}
		throw new IllegalArgumentException(subject + " has no common name");
	}

}
