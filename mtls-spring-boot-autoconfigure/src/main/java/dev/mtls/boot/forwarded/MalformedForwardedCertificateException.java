package dev.mtls.boot.forwarded;

/**
 * A forwarding header that does not hold a certificate in its format: bad encoding,
 * truncated PEM, two leaves, too large.
 */
final class MalformedForwardedCertificateException extends Exception {

	private static final long serialVersionUID = 1L;

	MalformedForwardedCertificateException(String reason) {
		super(reason);
	}

}
