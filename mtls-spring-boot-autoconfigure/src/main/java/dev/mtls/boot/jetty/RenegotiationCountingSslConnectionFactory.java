package dev.mtls.boot.jetty;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

import dev.mtls.boot.tls.RefusedRenegotiations;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * Jetty's TLS connection factory, with the renegotiations it refuses counted. Jetty tells
 * its handshake listeners of the first handshake only, so they are seen where its
 * connection wraps and unwraps: the JDK's engine asks for a new handshake, which Jetty
 * refuses itself (unless allowed, when the JDK's engine refuses in a delegated task and
 * throws on the next wrap or unwrap), and BoringSSL's throws. Jetty's ALPN processor
 * needs the JDK's own engine class, so the engine itself cannot be wrapped as on Tomcat.
 */
final class RenegotiationCountingSslConnectionFactory extends SslConnectionFactory {

	private final RefusedRenegotiations refusedRenegotiations;

	RenegotiationCountingSslConnectionFactory(SslConnectionFactory factory,
			RefusedRenegotiations refusedRenegotiations) {
		super(factory.getSslContextFactory(), factory.getNextProtocol());
		setDirectBuffersForEncryption(factory.isDirectBuffersForEncryption());
		setDirectBuffersForDecryption(factory.isDirectBuffersForDecryption());
		setEnsureSecureRequestCustomizer(factory.isEnsureSecureRequestCustomizer());
		setInputBufferSize(factory.getInputBufferSize());
		this.refusedRenegotiations = refusedRenegotiations;
	}

	@Override
	protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
		return new CountingSslConnection(connector, endPoint, engine);
	}

	/**
	 * Jetty's TLS connection, seeing its first handshake complete and what follows.
	 */
	private final class CountingSslConnection extends SslConnection {

		// Jetty wraps and unwraps under the connection's lock.
		private boolean handshakeCompleted;

		// Jetty unwraps once more as it closes the connection.
		private boolean refused;

		CountingSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
			super(connector.getByteBufferPool(), connector.getExecutor(), getSslContextFactory(), endPoint, engine,
					isDirectBuffersForEncryption(), isDirectBuffersForDecryption());
		}

		@Override
		protected SSLEngineResult wrap(SSLEngine sslEngine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
			try {
				return completed(super.wrap(sslEngine, input, output));
			}
			catch (SSLException ex) {
				if (this.handshakeCompleted && !this.refused) {
					this.refused = RenegotiationCountingSslConnectionFactory.this.refusedRenegotiations
						.record(sslEngine, ex);
				}
				throw ex;
			}
		}

		@Override
		protected SSLEngineResult unwrap(SSLEngine sslEngine, ByteBuffer input, ByteBuffer output) throws SSLException {
			SSLEngineResult result;
			try {
				result = super.unwrap(sslEngine, input, output);
			}
			catch (SSLException ex) {
				if (this.handshakeCompleted && !this.refused) {
					this.refused = RenegotiationCountingSslConnectionFactory.this.refusedRenegotiations
						.record(sslEngine, ex);
				}
				throw ex;
			}
			if (this.handshakeCompleted && !this.refused && !isRenegotiationAllowed() && isNewHandshake(result)
					&& RefusedRenegotiations.canRenegotiate(sslEngine)) {
				this.refused = true;
				RenegotiationCountingSslConnectionFactory.this.refusedRenegotiations.record(sslEngine);
			}
			return completed(result);
		}

		// An engine reports FINISHED once per handshake, in the result of the wrap or
		// unwrap that completed it.
		private SSLEngineResult completed(SSLEngineResult result) {
			if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
				this.handshakeCompleted = true;
			}
			return result;
		}

		// What Jetty refuses itself, before the JDK's engine would: a record that starts
		// a handshake on a connection whose handshake had completed (a close_notify is
		// CLOSED, not OK).
		private static boolean isNewHandshake(SSLEngineResult result) {
			HandshakeStatus status = result.getHandshakeStatus();
			return result.getStatus() == Status.OK && status != HandshakeStatus.NOT_HANDSHAKING
					&& status != HandshakeStatus.FINISHED;
		}

	}

}
