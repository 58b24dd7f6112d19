package dev.mtls.boot.tomcat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;

/**
 * Refuses TLS connections beyond Tomcat's {@code server.tomcat.max-connections} at once
 * instead of leaving them unanswered. At its limit Tomcat stops accepting: the kernel
 * queues new connections ({@code server.tomcat.accept-count}) and then drops them, and
 * their clients wait, with nothing said, until a connection closes or their own timeout
 * ends. Here Tomcat's own limit is raised by {@value #HEADROOM} when the connector
 * starts, and a connection over the configured limit is given an engine already closed:
 * its handshake ends as it begins, with a {@code close_notify} or an end of stream.
 * Refused connections close at once, so the headroom is for a burst of them; a larger
 * burst waits in the kernel's queue and is refused in turn. Refusals are logged at most
 * once a minute.
 */
final class ConnectionLimit {

	static final int HEADROOM = 100;

	private static final long LOG_INTERVAL = TimeUnit.MINUTES.toNanos(1);

	private static final Log logger = LogFactory.getLog(ConnectionLimit.class);

	private final AbstractProtocol<?> protocol;

	private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL);

	private final AtomicLong refusedSinceLogged = new AtomicLong();

	private volatile int limit = -1;

	private ConnectionLimit(AbstractProtocol<?> protocol) {
		this.protocol = protocol;
	}

	/**
	 * Return the limit of a connector, applied when it starts: Boot sets
	 * {@code max-connections} with a customizer of its own, which may run after ours.
	 * @param connector the connector
	 * @param protocol its protocol handler
	 * @return the limit
	 */
	static ConnectionLimit of(Connector connector, AbstractProtocol<?> protocol) {
		ConnectionLimit connectionLimit = new ConnectionLimit(protocol);
		connector.addLifecycleListener((event) -> {
			if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
				connectionLimit.apply();
			}
		});
		return connectionLimit;
	}

	private void apply() {
		if (this.limit != -1) {
			return;
		}
		int configured = this.protocol.getMaxConnections();
		if (configured > 0 && configured <= Integer.MAX_VALUE - HEADROOM) {
			this.protocol.setMaxConnections(configured + HEADROOM);
			this.limit = configured;
		}
		else {
			this.limit = 0;
		}
	}

	/**
	 * Whether the connection being opened is over the configured limit (it is counted).
	 * @return whether to refuse it
	 */
	boolean exceeded() {
		int limit = this.limit;
		// Tomcat's count includes the slot its acceptor takes before it waits for the
		// next connection; until it has taken that slot again, one more is let in.
		if (limit <= 0 || this.protocol.getConnectionCount() - 1 <= limit) {
			return false;
		}
		long refused = this.refusedSinceLogged.incrementAndGet();
		long last = this.lastLogged.get();
		long now = System.nanoTime();
		if (now - last >= LOG_INTERVAL && this.lastLogged.compareAndSet(last, now)) {
			this.refusedSinceLogged.addAndGet(-refused);
			logger.warn("Refused " + refused + " TLS connection(s) beyond server.tomcat.max-connections (" + limit
					+ ") on port " + this.protocol.getLocalPort()
					+ ", counted since this was last logged (at most once a minute)");
		}
		return true;
	}

}
