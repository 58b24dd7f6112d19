package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * On Tomcat, a connection beyond {@code server.tomcat.max-connections} is refused at
 * once, rather than accepted by the kernel and left unanswered until a connection closes;
 * once one does, new connections are served again. Jetty and Netty have no limit unless
 * one is set.
 */
class ConnectionLimitTests extends ServerSuite {

	private static final int LIMIT = 4;

	private TestCertificate alice;

	ConnectionLimitTests() {
		super(Server.TOMCAT);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		return ca.writeServiceProperties("server.tomcat.max-connections=" + LIMIT);
	}

	@Test
	void connectWhenLimitReachedThenRefusedAtOnceAndServedAgainWhenOneCloses(CapturedOutput output) throws Exception {
		List<KeepAliveConnection> held = new ArrayList<>();
		try {
			for (int i = 0; i < LIMIT; i++) {
				KeepAliveConnection connection = connect();
				assertThat(connection.get("/whoami").body()).isEqualTo("alice");
				held.add(connection);
			}
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				assertThatIOException().isThrownBy(this::connect)
					.isInstanceOfAny(SSLException.class, SocketException.class);
				// Well within the client's 10 s read timeout: refused, not left waiting.
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			}
			held.remove(0).close();
			held.add(connectWhenServed());
			assertThat(held.get(LIMIT - 1).get("/whoami").body()).isEqualTo("alice");
			for (KeepAliveConnection connection : held) {
				assertThat(connection.get("/whoami").body()).isEqualTo("alice");
			}
		}
		finally {
			for (KeepAliveConnection connection : held) {
				connection.close();
			}
		}
		assertThat(output).contains("TLS connection(s) beyond server.tomcat.max-connections (" + LIMIT + ")");
		assertThat(output).doesNotContain(" ERROR ");
	}

	private KeepAliveConnection connect() throws IOException {
		return new KeepAliveConnection(this.alice.sslBundle().createSslContext(), this.service.port());
	}

	// Tomcat counts a closed connection down on a thread of its own, a moment later.
	private KeepAliveConnection connectWhenServed() throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try {
				return connect();
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(100);
			}
		}
	}

}
