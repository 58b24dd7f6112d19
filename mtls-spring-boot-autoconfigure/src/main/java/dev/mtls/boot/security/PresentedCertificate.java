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
 * @param forwarded whether a trusted proxy forwarded the chain (checked against
 * {@code mtls.forwarded.trust}) rather than the client presenting it in the handshake
 * @since 0.1.0
 */
public record PresentedCertificate(X509Certificate certificate, boolean forwarded) {

	/**
	 * Create the principal of a chain presented in the handshake.
	 * @param certificate the leaf certificate
	 */
	public PresentedCertificate(X509Certificate certificate) {
		this(certificate, false);
	}

	@Override
	public String toString() {
		return CertificateText.escape(this.certificate.getSubjectX500Principal().getName()) + " (serial "
				+ this.certificate.getSerialNumber().toString(16) + ")";
	}

}
