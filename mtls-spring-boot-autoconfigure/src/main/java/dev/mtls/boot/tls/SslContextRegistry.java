package dev.mtls.boot.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Every {@link SSLContext} handed out on the material, weakly held: their TLS sessions
 * live no longer than validation verdicts are cached, and a reload ends them, since a
 * resumed session skips certificate validation.
 */
final class SslContextRegistry {

	private final int sessionTimeoutSeconds;

	private final Set<SSLContext> contexts = Collections.newSetFromMap(new WeakHashMap<>());

	SslContextRegistry(Duration sessionLifetime) {
		this.sessionTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, sessionLifetime.toSeconds()));
	}

	/**
	 * Cap the context's session lifetime and remember it.
	 * @param context the context
	 * @return the same context
	 */
	SSLContext track(SSLContext context) {
		context.getServerSessionContext().setSessionTimeout(this.sessionTimeoutSeconds);
		context.getClientSessionContext().setSessionTimeout(this.sessionTimeoutSeconds);
		synchronized (this.contexts) {
			this.contexts.add(context);
		}
		return context;
	}

	int getSessionTimeoutSeconds() {
		return this.sessionTimeoutSeconds;
	}

	/**
	 * End the sessions of every tracked context, client and server side.
	 */
	void invalidateSessions() {
		List<SSLContext> contexts;
		synchronized (this.contexts) {
			contexts = new ArrayList<>(this.contexts);
		}
		for (SSLContext context : contexts) {
			for (SSLSessionContext sessions : List.of(context.getServerSessionContext(), context.getClientSessionContext())) {
				for (byte[] id : Collections.list(sessions.getIds())) {
					SSLSession session = sessions.getSession(id);
					if (session != null) {
						session.invalidate();
					}
				}
			}
		}
	}

}
