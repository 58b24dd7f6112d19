package dev.mtls.boot.tls;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Refuses client-initiated TLS 1.2 renegotiation on the JDK's engine. A client may ask a
 * server to renegotiate as often as it likes, each time at the CPU cost of a full
 * handshake, and the JDK's engine agrees (on Tomcat and Reactor Netty; Jetty and
 * BoringSSL refuse of their own). The JDK's own switch, the system property
 * {@value #PROPERTY}, makes its engine answer with a {@code handshake_failure} alert
 * instead. The JDK reads it once, at the JVM's first server handshake, so it is set when
 * the starter builds the server's engine, before the server starts; a value given on the
 * command line is left as it is, and {@code false} is warned about.
 */
final class ClientRenegotiation {

	static final String PROPERTY = "jdk.tls.rejectClientInitiatedRenegotiation";

	private static final Log logger = LogFactory.getLog(ClientRenegotiation.class);

	private static final AtomicBoolean warned = new AtomicBoolean();

	private ClientRenegotiation() {
	}

	static void refuse() {
		String value = System.getProperty(PROPERTY);
		if (value == null) {
			System.setProperty(PROPERTY, "true");
		}
		else if (!Boolean.parseBoolean(value) && warned.compareAndSet(false, true)) {
			logger.warn(PROPERTY + " is not true: TLS 1.2 clients may renegotiate as often as they like, "
					+ "each time at the cost of a full handshake to the server");
		}
	}

}
