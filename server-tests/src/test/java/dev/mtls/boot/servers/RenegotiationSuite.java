package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

import javax.net.ssl.SSLException;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A client-initiated TLS 1.2 renegotiation is refused at once with an alert: the
 * connection ends, and the server goes on serving.
 */
abstract class RenegotiationSuite extends ServerSuite {

	private final String engine;

	TestCertificate alice;

	RenegotiationSuite(Server server, String engine) {
		super(server);
		this.engine = engine;
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		return ca.writeServiceProperties("mtls.server.engine=" + this.engine);
	}

	@Test
	void renegotiationWhenClientInitiatesThenRefusedAtOnce() throws IOException {
		try (KeepAliveConnection connection = new KeepAliveConnection(this.alice.sslBundle().createSslContext(),
				this.service.port(), (socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.2" }))) {
			assertThat(connection.get("/whoami").body()).isEqualTo("alice");
			long started = System.nanoTime();

			assertThatIOException().isThrownBy(() -> {
				connection.renegotiate();
				connection.get("/whoami");
			}).isInstanceOfAny(SSLException.class, SocketException.class);

			// Well within the connection's 10 s read timeout: refused, not left waiting.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		}
		assertThat(request(this.alice.sslBundle().createSslContext(), "GET", "/whoami").body()).isEqualTo("alice");
	}

}
