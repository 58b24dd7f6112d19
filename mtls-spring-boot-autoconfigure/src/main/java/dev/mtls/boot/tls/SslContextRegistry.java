package dev.mtls.boot.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TLS sessions of every context handed out on the material, weakly held: they live no
 * longer than validation verdicts are cached, and a reload ends them, since a resumed
 * session skips certificate validation.
 */
final class SslContextRegistry {

	/**
	 * The JDK's switch for stateless TLS session tickets on the server side, read when a
	 * context is created. A stateless ticket carries its session itself, so a server
	 * context resumes it even after the session was invalidated: a client refused by
	 * reloaded trust or CRLs would resume without its certificate being validated again.
	 */
	private static final String SESSION_TICKETS = "jdk.tls.server.enableSessionTicketExtension";

	private static final Object SESSION_TICKETS_LOCK = new Object();

	/**
	 * The JDK's property for the size of every session cache, 20480 unless set.
	 */
	private static final String SESSION_CACHE_SIZE = "javax.net.ssl.sessionCacheSize";

	/**
	 * How many sessions each side of a context keeps, unless the application sets
	 * {@code -Djavax.net.ssl.sessionCacheSize}. With stateless tickets off the server
	 * keeps every session in its cache, each holding its peer's chain: the JDK's 20480
	 * cost about 24 MB of heap under a full-handshake load, where 4096 recent sessions
	 * are still far more than a service's callers resume.
	 */
	static final int DEFAULT_SESSION_CACHE_SIZE = 4096;

	private static final Log logger = LogFactory.getLog(SslContextRegistry.class);

	private static boolean sessionTicketsWarned;

	private final int sessionTimeoutSeconds;

	private final int sessionCacheSize;

	private final Set<SSLSessionContext> sessions = Collections.newSetFromMap(new WeakHashMap<>());

	private volatile boolean outlivingSessionsWarned;

	SslContextRegistry(Duration sessionLifetime) {
		this.sessionTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, sessionLifetime.toSeconds()));
		this.sessionCacheSize = sessionCacheSize();
	}

	/**
	 * The number of sessions a cache keeps: the JDK's property where the application set
	 * it, so that the JDK's own rules for its values apply, otherwise our default.
	 * @return the size to set, or {@code -1} to leave the JDK's
	 */
	private static int sessionCacheSize() {
		String chosen = System.getProperty(SESSION_CACHE_SIZE);
		return (chosen != null && !chosen.isBlank()) ? -1 : DEFAULT_SESSION_CACHE_SIZE;
	}

	/**
	 * Cap the lifetime and the number of the context's sessions, server and client side,
	 * and remember them.
	 * @param context the context
	 * @return the same context
	 */
	SSLContext track(SSLContext context) {
		track(context.getServerSessionContext());
		track(context.getClientSessionContext());
		return context;
	}

	/**
	 * Cap the lifetime and the number of the sessions and remember them.
	 * @param sessions the sessions of a context
	 * @return the same sessions
	 */
	SSLSessionContext track(SSLSessionContext sessions) {
		sessions.setSessionTimeout(this.sessionTimeoutSeconds);
		if (this.sessionCacheSize > 0) {
			sessions.setSessionCacheSize(this.sessionCacheSize);
		}
		synchronized (this.sessions) {
			this.sessions.add(sessions);
		}
		return sessions;
	}

	/**
	 * Create a context whose server side keeps its sessions in its cache, where
	 * {@link #invalidateSessions()} reaches them, rather than in stateless tickets;
	 * unless the application chose otherwise with
	 * {@code -Djdk.tls.server.enableSessionTicketExtension}. The switch is off only while
	 * the context is created, never for the rest of the JVM.
	 * @param provider the JSSE provider, or {@code null} for the JDK's default
	 * @return the uninitialized context
	 * @throws NoSuchAlgorithmException if TLS is not available
	 */
	static SSLContext newContext(@Nullable Provider provider) throws NoSuchAlgorithmException {
		synchronized (SESSION_TICKETS_LOCK) {
			String chosen = System.getProperty(SESSION_TICKETS);
			if (chosen != null) {
				if (!"false".equalsIgnoreCase(chosen.trim()) && !sessionTicketsWarned) {
					sessionTicketsWarned = true;
					logger.warn(("-D%s=%s: TLS sessions resumed from stateless tickets are not ended by a reload, "
							+ "so a client refused by reloaded trust or CRLs can resume its session until it expires "
							+ "(mtls.revocation.cache-ttl at most); each request's chain is still re-checked when it is authenticated")
						.formatted(SESSION_TICKETS, chosen));
				}
				return getInstance(provider);
			}
			System.setProperty(SESSION_TICKETS, "false");
			try {
				return getInstance(provider);
			}
			finally {
				// Unless something else changed it meanwhile.
				if ("false".equals(System.getProperty(SESSION_TICKETS))) {
					System.clearProperty(SESSION_TICKETS);
				}
			}
		}
	}

	private static SSLContext getInstance(@Nullable Provider provider) throws NoSuchAlgorithmException {
		return (provider != null) ? SSLContext.getInstance("TLS", provider) : SSLContext.getInstance("TLS");
	}

	int getSessionTimeoutSeconds() {
		return this.sessionTimeoutSeconds;
	}

	/**
	 * End every tracked session, client and server side.
	 */
	void invalidateSessions() {
		List<SSLSessionContext> tracked;
		synchronized (this.sessions) {
			tracked = new ArrayList<>(this.sessions);
		}
		for (SSLSessionContext sessions : tracked) {
			try {
				for (byte[] id : Collections.list(sessions.getIds())) {
					SSLSession session = sessions.getSession(id);
					if (session != null) {
						session.invalidate();
					}
				}
			}
			catch (UnsupportedOperationException ex) {
				// Conscrypt's sessions cannot be invalidated, and BoringSSL keeps a cache
				// of its own: they end with the lifetime track() gave them.
				warnSessionsOutliveReload();
			}
		}
	}

	private void warnSessionsOutliveReload() {
		if (!this.outlivingSessionsWarned) {
			this.outlivingSessionsWarned = true;
			logger.warn(("The TLS sessions of the conscrypt engine (mtls.server.engine) cannot be ended on a reload: a "
					+ "TLS 1.2 client refused by the reloaded trust or CRLs can resume its session until it expires "
					+ "(%d s, mtls.revocation.cache-ttl); each request's chain is still re-checked when it is "
					+ "authenticated")
				.formatted(this.sessionTimeoutSeconds));
		}
	}

}
