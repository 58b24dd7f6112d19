package dev.mtls.boot.monitor;

import java.security.cert.X509Certificate;

import dev.mtls.boot.identity.CertificateIdentity;

/**
 * Told what happens to peers and to the TLS material: refused handshakes, authenticated
 * requests, authorization decisions, reloads. Declare beans of this type to observe them;
 * calls happen on request threads and must be quick.
 *
 * @since 0.1.0
 */
public interface MtlsListener {

	/**
	 * A client's certificate chain was refused in the TLS handshake.
	 * @param leaf the client's certificate
	 * @param reason the reason's category, such as {@code untrusted} or {@code revoked}
	 * @param message the reason in words
	 */
	default void handshakeRefused(X509Certificate leaf, String reason, String message) {
	}

	/**
	 * A request was authenticated by its client certificate.
	 * @param identity the caller
	 */
	default void authenticated(CertificateIdentity identity) {
	}

	/**
	 * A request was not authenticated.
	 * @param reason {@code no-certificate}, {@code missing-attribute} or
	 * {@code ca-certificate}
	 */
	default void authenticationFailed(String reason) {
	}

	/**
	 * An authorization rule decided a request.
	 * @param rule the rule, such as {@code mtls.authorization.rules[2]}
	 * @param granted whether access was granted
	 */
	default void authorizationDecided(String rule, boolean granted) {
	}

	/**
	 * The TLS material was reloaded, or a reload failed and the previous material stays.
	 * @param success whether the new material is in use
	 */
	default void reloaded(boolean success) {
	}

}
