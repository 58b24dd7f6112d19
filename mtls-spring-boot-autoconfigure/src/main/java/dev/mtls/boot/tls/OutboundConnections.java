package dev.mtls.boot.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import javax.net.ssl.SSLEngine;

import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The outbound TLS connections whose server the starter's trust manager accepted, each
 * with the chain and host it was validated with. A server's certificate is checked once,
 * in the handshake, and a pooled connection carries calls for as long as the pool keeps
 * it: so on every reload each connection's server is checked again against the new
 * material, and a connection whose server is now refused (revoked, or no longer trusted)
 * is closed, and its pool opens a new one, whose handshake refuses that server. Closing
 * is all a trust manager can do: the next call on the connection fails, as a call to a
 * refused server does.
 * <p>
 * Connections are held weakly: one the client dropped is forgotten with it.
 */
final class OutboundConnections {

	private static final Log logger = LogFactory.getLog(OutboundConnections.class);

	// Keys are the JDK's engines and sockets, which compare by identity.
	private final Map<Object, Accepted> connections = new WeakHashMap<>();

	/**
	 * Remember a connection whose server was accepted.
	 * @param connection the engine or socket of the connection
	 * @param chain the server's chain
	 * @param host the host it was validated for, or {@code null} if none was checked
	 */
	synchronized void accepted(Object connection, X509Certificate[] chain, @Nullable String host) {
		this.connections.put(connection, new Accepted(List.of(chain), host));
	}

	/**
	 * Check every remembered connection's server against a validator, and close the
	 * connections whose server it refuses.
	 * @param validator the validator of the current material
	 * @return how many connections were closed
	 */
	int closeRefused(CertificateValidator validator) {
		List<Map.Entry<Object, Accepted>> open;
		synchronized (this) {
			open = new ArrayList<>(this.connections.entrySet());
		}
		int closed = 0;
		@Nullable String reason = null;
		for (Map.Entry<Object, Accepted> entry : open) {
			Accepted accepted = entry.getValue();
			try {
				validator.validateServer(accepted.chain(), accepted.host());
			}
			catch (CertificateRejectedException ex) {
				close(entry.getKey());
				synchronized (this) {
					this.connections.remove(entry.getKey());
				}
				closed++;
				reason = (reason != null) ? reason : ex.getMessage();
			}
		}
		if (closed > 0) {
			logger.warn("Closed %d outbound connection(s) whose server the reloaded material refuses, such as: %s"
				.formatted(closed, reason));
		}
		return closed;
	}

	synchronized int size() {
		return this.connections.size();
	}

	private static void close(Object connection) {
		if (connection instanceof SSLEngine engine) {
			// The next wrap sends close_notify and reports the engine closed: the client
			// drops the connection. The JDK's engine is safe to close from another
			// thread.
			engine.closeOutbound();
		}
		else if (connection instanceof Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				logger.debug("Could not close an outbound connection", ex);
			}
		}
	}

	private record Accepted(List<X509Certificate> chain, @Nullable String host) {

	}

}
