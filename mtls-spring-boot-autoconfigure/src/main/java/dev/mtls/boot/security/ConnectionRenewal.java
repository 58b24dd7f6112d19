package dev.mtls.boot.security;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import dev.mtls.boot.identity.CertificateIdentity;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * When a server asks a client for a new connection. A kept-alive connection keeps the
 * client certificate of its handshake, and the starter checks that certificate again on
 * every request: a connection kept busy until that certificate expires would be refused
 * for good, although the client has long had a renewed one (SPIRE renews an X.509 SVID at
 * half its life, cert-manager a certificate at two thirds). So in the last quarter of the
 * certificate's validity, and at most its last hour, and after a refusal of a certificate
 * the handshake accepted (expired, revoked or no longer trusted since), the server
 * answers with {@code Connection: close}: the client's next request opens a connection
 * with the certificate it has then. Not for a certificate forwarded by a trusted proxy:
 * the connection is the proxy's.
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
	 * Return whether a connection should be closed after the response to a request whose
	 * certificate was refused: only when the certificate verification refused it
	 * (expired, revoked or no longer trusted since the handshake), which a new connection
	 * with the client's current certificate may cure. A certificate that cannot name a
	 * principal would come back on the next connection as it is.
	 * @param refusal why authentication refused the request's certificate
	 * @return whether the client should open a new connection
	 */
	public static boolean isDueAfter(AuthenticationException refusal) {
		return refusal.getCause() instanceof CertificateException;
	}

	/**
	 * Return whether a connection that presented this certificate should be closed after
	 * the current response.
	 * @param certificate the client's certificate (the leaf)
	 * @param now the current time in milliseconds since the epoch
	 * @return whether the certificate is in its last quarter, or last hour
	 */
	public static boolean isDue(X509Certificate certificate, long now) {
		return isDue(certificate.getNotBefore().getTime(), certificate.getNotAfter().getTime(), now);
	}

	/**
	 * Return whether a connection that presented this certificate should be closed after
	 * the current response, as {@link #isDue(X509Certificate, long)}, from the dates of
	 * the request's {@link CertificateIdentity} where it is that certificate's: the
	 * authenticator caches identities per certificate, and JDK 17 reads a certificate's
	 * dates anew on every call.
	 * @param authentication the request's authentication, or {@code null}
	 * @param certificate the client's certificate (the leaf)
	 * @param now the current time in milliseconds since the epoch
	 * @return whether the certificate is in its last quarter, or last hour
	 */
	public static boolean isDue(@Nullable Authentication authentication, X509Certificate certificate, long now) {
		if (authentication != null && authentication.getPrincipal() instanceof CertificateIdentity identity
				&& certificate.equals(identity.getCertificate())) {
			Instant notBefore = identity.getNotBefore();
			Instant notAfter = identity.getNotAfter();
			if (notBefore != null && notAfter != null) {
				return isDue(notBefore.toEpochMilli(), notAfter.toEpochMilli(), now);
			}
		}
		return isDue(certificate, now);
	}

	private static boolean isDue(long notBefore, long notAfter, long now) {
		long notice = Math.min(Math.max(notAfter - notBefore, 0) / 4, MAX_NOTICE.toMillis());
		return now >= notAfter - notice;
	}

}
