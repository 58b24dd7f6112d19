package dev.mtls.boot.monitor;

import java.security.cert.X509Certificate;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Told what happens to peers and to the TLS material: refused handshakes, authenticated
 * requests, authorization decisions, reloads. Declare beans of this type to observe them;
 * calls happen on request threads and must be quick.
 *
 * <pre class="code">
 * &#064;Bean
 * MtlsListener refusals(AlertService alerts) {
 *     return new MtlsListener() {
 *
 *         &#064;Override
 *         public void handshakeRefused(X509Certificate leaf, Reason reason, String message) {
 *             alerts.raise(reason.tag(), message);
 *         }
 *
 *         &#064;Override
 *         public void authenticationFailed(AuthenticationFailure failure) {
 *             alerts.raise(failure.tag(), "request not authenticated");
 *         }
 *
 *     };
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public interface MtlsListener {

	/**
	 * A listener that ignores every event.
	 */
	MtlsListener NONE = new MtlsListener() {
	};

	/**
	 * A client's certificate chain was refused in the TLS handshake.
	 * @param leaf the client's certificate
	 * @param reason the reason's category, such as {@link Reason#UNTRUSTED}
	 * @param message the reason in words
	 */
	default void handshakeRefused(X509Certificate leaf, Reason reason, String message) {
	}

	/**
	 * A client asked to renegotiate its connection's TLS 1.2 session, and the server
	 * refused and closed the connection.
	 * @param leaf the client's certificate, or {@code null} if it presented none
	 */
	default void renegotiationRefused(@Nullable X509Certificate leaf) {
	}

	/**
	 * A request was authenticated by its client certificate.
	 * @param identity the caller
	 */
	default void authenticated(CertificateIdentity identity) {
	}

	/**
	 * A request was not authenticated because its certificate chain, accepted when the
	 * connection was made, is refused by the current material (after a reload).
	 * @param reason the reason's category, such as {@link Reason#REVOKED}
	 */
	default void authenticationFailed(Reason reason) {
	}

	/**
	 * A request was not authenticated for a reason other than its chain.
	 * @param failure the reason, such as {@link AuthenticationFailure#NO_CERTIFICATE}
	 */
	default void authenticationFailed(AuthenticationFailure failure) {
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

	/**
	 * A request came with a forwarding header for a client certificate, or from a trusted
	 * proxy ({@code mtls.forwarded}).
	 * @param outcome what became of it, such as {@link ForwardedOutcome#UNTRUSTED_SOURCE}
	 */
	default void forwarded(ForwardedOutcome outcome) {
	}

	/**
	 * A trusted proxy forwarded a certificate chain that validated
	 * ({@link ForwardedOutcome#FORWARDED}); told in addition to
	 * {@link #forwarded(ForwardedOutcome)}.
	 * @param leaf the forwarded client's certificate
	 * @param proxy the proxy, described by its identity and address
	 */
	default void forwardedBy(X509Certificate leaf, String proxy) {
	}

	/**
	 * A trusted proxy attested a certificate without forwarding it, where its
	 * verification is trusted ({@code mtls.forwarded.trust-proxy-verification}); told in
	 * addition to {@link #forwarded(ForwardedOutcome)}.
	 * @param sha256Fingerprint the fingerprint the proxy gave for the client's
	 * certificate
	 * @param proxy the proxy, described by its identity and address
	 */
	default void attestedBy(String sha256Fingerprint, String proxy) {
	}

}
