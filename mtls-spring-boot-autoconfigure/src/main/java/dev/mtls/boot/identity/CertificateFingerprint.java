package dev.mtls.boot.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The SHA-256 fingerprint of a certificate's DER encoding, as lower-case hex without
 * separators (the form {@code sha256:} identity patterns compare against).
 *
 * @since 0.1.0
 */
public final class CertificateFingerprint {

	private CertificateFingerprint() {
	}

	/**
	 * Return the SHA-256 fingerprint of a certificate.
	 * @param certificate the certificate
	 * @return 64 lower-case hex digits
	 * @throws IllegalStateException if the certificate cannot be encoded
	 */
	public static String sha256(X509Certificate certificate) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (NoSuchAlgorithmException | CertificateEncodingException ex) {
			throw new IllegalStateException("Unable to fingerprint certificate", ex);
		}
	}

}
