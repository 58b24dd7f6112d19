package dev.mtls.boot.servers;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand TCP connections that never finish a TLS handshake (half of them silent, half
 * announcing a handshake message that never comes) hold no thread each, do not stop a
 * trusted client from being served at once, and are closed by the server once its
 * handshake timeout has passed: Tomcat's {@code server.tomcat.connection-timeout} and
 * Jetty's {@code server.jetty.connection-idle-timeout}, set to 8 s here, and Reactor
 * Netty's own 10 s handshake timeout.
 */
abstract class StalledHandshakesSuite extends ServerSuite {

	private static final int STALLED = 1000;

	private static final Duration TIMEOUT = Duration.ofSeconds(8);

	private static final Duration NETTY_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration MARGIN = Duration.ofSeconds(15);

	private TestCertificate alice;

	StalledHandshakesSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		return ca.writeServiceProperties("server.tomcat.connection-timeout=" + TIMEOUT.toSeconds() + "s",
				"server.jetty.connection-idle-timeout=" + TIMEOUT.toSeconds() + "s");
	}

	@Test
	void stalledHandshakesWhenThousandThenTrustedClientServedAndStalledConnectionsClosed() throws Exception {
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < STALLED; i++) {
				Socket socket = new Socket("127.0.0.1", this.service.port());
				if (i % 2 == 0) {
					// A TLS record header announcing a 512-byte message that never comes.
					socket.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });
				}
				stalled.add(socket);
			}
			long started = System.nanoTime();
			assertThat(get(this.alice, "/whoami").body()).isEqualTo("alice");
			Duration served = Duration.ofNanos(System.nanoTime() - started);
			int threadsHolding = ManagementFactory.getThreadMXBean().getThreadCount();
			System.out.printf("%s: %d stalled handshakes; a trusted client served in %d ms; threads %d -> %d%n",
					this.server, STALLED, served.toMillis(), threadsBefore, threadsHolding);
			// Served while every stalled connection is still held, not after their
			// eviction.
			assertThat(served).isLessThan(Duration.ofSeconds(5));
			assertThat(threadsHolding - threadsBefore).as("threads started for %d stalled connections", STALLED)
				.isLessThan(100);

			long deadline = System.nanoTime() + handshakeTimeout().plus(MARGIN).toNanos();
			for (Socket socket : stalled) {
				assertClosedByServer(socket, deadline);
			}
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
		assertThat(get(this.alice, "/whoami").body()).isEqualTo("alice");
	}

	private Duration handshakeTimeout() {
		return (this.server == Server.NETTY) ? NETTY_HANDSHAKE_TIMEOUT : TIMEOUT;
	}

	private void assertClosedByServer(Socket socket, long deadline) throws IOException {
		int left = (int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
		socket.setSoTimeout(left);
		InputStream in = socket.getInputStream();
		try {
			while (in.read() != -1) {
				// An alert, if any, before the close.
			}
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("%s kept a stalled handshake open beyond its %d s timeout and %d s of margin"
				.formatted(this.server, handshakeTimeout().toSeconds(), MARGIN.toSeconds()), ex);
		}
		catch (IOException ex) {
			// Reset by the server: closed too.
		}
	}

}
