package dev.mtls.boot.security;

import java.security.cert.X509Certificate;

import dev.mtls.boot.identity.CertificateText;

/**
 * The principal of a certificate chain that is yet to be authenticated: the leaf
 * certificate, named by its subject and serial. An {@code X509Certificate} as principal
 * would name a refused authentication (in audit events and logs) by its
 * {@code toString()}: the whole certificate dumped.
 *
 * @param certificate the leaf certificate
 * @since 0.1.0
 */
public record PresentedCertificate(X509Certificate certificate) {

	@Override
	public String toString() {
		return CertificateText.escape(this.certificate.getSubjectX500Principal().getName()) + " (serial "
				+ this.certificate.getSerialNumber().toString(16) + ")";
	}

}
