package dev.mtls.boot.jetty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a TLS connection whose handshake has not completed within the connector's idle
 * timeout ({@code server.jetty.connection-idle-timeout}) of its opening. Jetty's idle
 * timeout starts again with every byte received, so a peer without a certificate
 * trickling its handshake a byte at a time would hold its connection for as long as it
 * likes; Tomcat and Reactor Netty bound the handshake itself.
 */
final class HandshakeDeadline implements Connection.Listener, SslHandshakeListener {

	private final Connector connector;

	private final Map<Object, Scheduler.Task> pending = new ConcurrentHashMap<>();

	private HandshakeDeadline(Connector connector) {
		this.connector = connector;
	}

	/**
	 * Bound the handshakes of a TLS connector by its idle timeout.
	 * @param connector the connector
	 */
	static void apply(Connector connector) {
		connector.addEventListener(new HandshakeDeadline(connector));
	}

	@Override
	public void onOpened(Connection connection) {
		// Read when a connection opens: Spring Boot sets the idle timeout through a
		// customizer that may run after ours.
		long timeout = this.connector.getIdleTimeout();
		if (connection instanceof SslConnection tls && timeout > 0) {
			Object engine = tls.getSSLEngine();
			this.pending.put(engine, this.connector.getScheduler().schedule(() -> {
				if (this.pending.remove(engine) != null) {
					tls.close();
				}
			}, timeout, TimeUnit.MILLISECONDS));
		}
	}

	@Override
	public void onClosed(Connection connection) {
		if (connection instanceof SslConnection tls) {
			done(tls.getSSLEngine());
		}
	}

	@Override
	public void handshakeSucceeded(Event event) {
		done(event.getSSLEngine());
	}

	@Override
	public void handshakeFailed(Event event, Throwable failure) {
		done(event.getSSLEngine());
	}

	private void done(Object engine) {
		Scheduler.Task deadline = this.pending.remove(engine);
		if (deadline != null) {
			deadline.cancel();
		}
	}

}
