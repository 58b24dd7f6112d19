package dev.mtls.boot.monitor;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Hands events to every {@link MtlsListener} bean. The beans are looked up on the first
 * event after the context has created its singletons, since the TLS material exists
 * before them. Events before that (a rotation of the material while the context starts)
 * are not passed on: looking the listeners up then would create beans, such as the
 * metrics, that need the TLS material still being created.
 *
 * @since 0.1.0
 */
public final class MtlsListeners implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(MtlsListeners.class);

	// Events come from every handshake and request, peers' included: a listener that
	// fails on each must not log on each.
	private final OnceLog failures = new OnceLog(logger, 1_000);

	private final ObjectProvider<MtlsListener> provider;

	private volatile @Nullable List<MtlsListener> listeners;

	private volatile boolean singletonsCreated;

	public MtlsListeners(ObjectProvider<MtlsListener> provider) {
		this.provider = provider;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.singletonsCreated = true;
	}

	/**
	 * Return a listener that dispatches to all listener beans.
	 * @return the dispatching listener
	 */
	public MtlsListener dispatcher() {
		return new MtlsListener() {

			@Override
			public void handshakeRefused(X509Certificate leaf, Reason reason, String message) {
				each((listener) -> listener.handshakeRefused(leaf, reason, message));
			}

			@Override
			public void renegotiationRefused(@Nullable X509Certificate leaf) {
				each((listener) -> listener.renegotiationRefused(leaf));
			}

			@Override
			public void authenticated(CertificateIdentity identity) {
				each((listener) -> listener.authenticated(identity));
			}

			@Override
			public void authenticationFailed(Reason reason) {
				each((listener) -> listener.authenticationFailed(reason));
			}

			@Override
			public void authenticationFailed(AuthenticationFailure failure) {
				each((listener) -> listener.authenticationFailed(failure));
			}

			@Override
			public void authorizationDecided(String rule, boolean granted) {
				each((listener) -> listener.authorizationDecided(rule, granted));
			}

			@Override
			public void reloaded(boolean success) {
				each((listener) -> listener.reloaded(success));
			}

			@Override
			public void forwarded(ForwardedOutcome outcome) {
				each((listener) -> listener.forwarded(outcome));
			}

			@Override
			public void forwardedBy(X509Certificate leaf, String proxy) {
				each((listener) -> listener.forwardedBy(leaf, proxy));
			}

			@Override
			public void attestedBy(String sha256Fingerprint, String proxy) {
				each((listener) -> listener.attestedBy(sha256Fingerprint, proxy));
			}

		};
	}

	/**
	 * Call every listener; one that fails is logged and does not stop the others or the
	 * handshake, request or reload that told it.
	 * @param call what to tell each listener
	 */
	private void each(Consumer<MtlsListener> call) {
		if (!this.singletonsCreated) {
			logger.debug("An mTLS event before the context created its singletons, not passed on to listeners");
			return;
		}
		for (MtlsListener listener : listeners()) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	// Once per listener and exception class; the message may quote a peer's certificate,
	// so it is escaped and the trace is left to DEBUG, where its first line is raw.
	private void failed(MtlsListener listener, RuntimeException ex) {
		String name = listener.getClass().getName();
		StackTraceElement[] trace = ex.getStackTrace();
		String at = (trace.length > 0) ? " at " + trace[0] : "";
		this.failures.warn(name + " " + ex.getClass().getName(),
				() -> "MtlsListener %s failed: %s%s (stack traces and repeats are logged at DEBUG)".formatted(name,
						CertificateText.escapeMessage(ex.toString()), at));
		if (logger.isDebugEnabled()) {
			logger.debug("MtlsListener " + name + " failed", ex);
		}
	}

	private List<MtlsListener> listeners() {
		List<MtlsListener> listeners = this.listeners;
		if (listeners == null) {
			listeners = this.provider.orderedStream().toList();
			this.listeners = listeners;
		}
		return listeners;
	}

}
