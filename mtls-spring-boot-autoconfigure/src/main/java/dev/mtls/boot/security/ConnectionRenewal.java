package dev.mtls.boot.security;

import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * When a server asks a client for a new connection. A kept-alive connection keeps the
 * client certificate of its handshake, and the starter checks that certificate again on
 * every request: a connection kept busy until that certificate expires would be refused
 * for good, although the client has long had a renewed one (SPIRE renews an X.509 SVID at
 * half its life, cert-manager a certificate at two thirds). So in the last quarter of the
 * certificate's validity, and at most its last hour, and after a refusal of a certificate
 * the handshake accepted (expired, revoked or no longer trusted since), the server
 * answers with {@code Connection: close}: the client's next request opens a connection
 * with the certificate it has then.
 *
 * @since 0.1.0
 */
public final class ConnectionRenewal {

	/**
	 * The most notice a client gets before its certificate expires.
	 */
	public static final Duration MAX_NOTICE = Duration.ofHours(1);

	private ConnectionRenewal() {
	}

	/**
	 * Return whether a connection that presented this certificate should be closed after
	 * the current response.
	 * @param certificate the client's certificate (the leaf)
	 * @param now the current time in milliseconds since the epoch
	 * @return whether the certificate is in its last quarter, or last hour
	 */
	public static boolean isDue(X509Certificate certificate, long now) {
		long notBefore = certificate.getNotBefore().getTime();
		long notAfter = certificate.getNotAfter().getTime();
		long notice = Math.min(Math.max(notAfter - notBefore, 0) / 4, MAX_NOTICE.toMillis());
		return now >= notAfter - notice;
	}

}
