package dev.mtls.boot.tomcat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SecureNioChannel;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * Tomcat's NIO protocol with a TLS handshake that must complete within the connection
 * timeout ({@code server.tomcat.connection-timeout}) of the connection's opening.
 * <p>
 * Tomcat times a handshake from the connection's opening too, but its poller skips the
 * connections it is serving at the moment it looks, so a peer trickling its handshake a
 * byte at a time in step with the poller was never looked at (about one connection in a
 * hundred, held for as long as the peer kept trickling). Here the handshake itself
 * refuses to go on once the deadline has passed: the next byte ends the connection, and a
 * silent peer is still closed by Tomcat's own timeout.
 *
 * @since 0.1.0
 */
public class HandshakeDeadlineNioProtocol extends Http11NioProtocol {

	/**
	 * Create the protocol, as Tomcat does from its class name.
	 */
	public HandshakeDeadlineNioProtocol() {
		super(new Endpoint());
	}

	private static final class Endpoint extends NioEndpoint {

		@Override
		protected NioChannel createChannel(SocketBufferHandler buffer) {
			return isSSLEnabled() ? new DeadlineChannel(buffer, this) : super.createChannel(buffer);
		}

	}

	private static final class DeadlineChannel extends SecureNioChannel {

		private final NioEndpoint endpoint;

		// Channels are pooled: reset for each connection.
		private long openedNanos = System.nanoTime();

		// Only the first handshake is bounded: Tomcat's rehandshake (CLIENT-CERT login on
		// a connection that did not ask for a certificate) comes later in its life.
		private boolean firstHandshakeCompleted;

		DeadlineChannel(SocketBufferHandler buffer, NioEndpoint endpoint) {
			super(buffer, endpoint);
			this.endpoint = endpoint;
		}

		@Override
		public void reset(SocketChannel channel, NioSocketWrapper socketWrapper) throws IOException {
			super.reset(channel, socketWrapper);
			this.openedNanos = System.nanoTime();
			this.firstHandshakeCompleted = false;
		}

		@Override
		public int handshake(boolean read, boolean write) throws IOException {
			int timeout = this.endpoint.getConnectionTimeout();
			if (!this.firstHandshakeCompleted && timeout > 0
					&& System.nanoTime() - this.openedNanos > TimeUnit.MILLISECONDS.toNanos(timeout)) {
				// Tomcat closes the connection, logging this at debug level only.
				throw new IOException("TLS handshake not completed within the connection timeout of " + timeout
						+ " ms (server.tomcat.connection-timeout)");
			}
			int status = super.handshake(read, write);
			if (status == 0) {
				this.firstHandshakeCompleted = true;
			}
			return status;
		}

	}

}
