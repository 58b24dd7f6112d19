package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

import javax.net.ssl.SSLException;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * A client-initiated TLS 1.2 renegotiation is refused at once with an alert: the
 * connection ends, the refusal is counted and logged, and the server goes on serving.
 */
abstract class RenegotiationSuite extends ServerSuite {

	private final String engine;

	TestCertificate alice;

	TestCertificate stranger;

	RenegotiationSuite(Server server, String engine) {
		super(server);
		this.engine = engine;
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		this.stranger = ca.client((spec) -> spec.commonName("stranger").untrusted());
		return ca.writeServiceProperties("mtls.server.engine=" + this.engine);
	}

	@Test
	void renegotiationWhenClientInitiatesThenRefusedAtOnceCountedAndLogged(CapturedOutput output) throws IOException {
		double refusedBefore = count("mtls.renegotiation.refused");
		try (KeepAliveConnection connection = new KeepAliveConnection(this.alice.sslBundle().createSslContext(),
				this.service.port(), (socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.2" }))) {
			assertThat(connection.get("/whoami").body()).isEqualTo("alice");
			assertThat(count("mtls.renegotiation.refused")).isEqualTo(refusedBefore);
			long started = System.nanoTime();

			assertThatIOException().isThrownBy(() -> {
				connection.renegotiate();
				connection.get("/whoami");
			}).isInstanceOfAny(SSLException.class, SocketException.class);

			// Well within the connection's 10 s read timeout: refused, not left waiting.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		}
		assertThat(request(this.alice.sslBundle().createSslContext(), "GET", "/whoami").body()).isEqualTo("alice");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(count("mtls.renegotiation.refused")).isEqualTo(refusedBefore + 1));
		assertThat(output).containsOnlyOnce("Refused a TLS renegotiation");
		if (this.engine.equals("jdk")) {
			// BoringSSL may have forgotten the client's certificate with the refused
			// session.
			assertThat(output).contains("Refused a TLS renegotiation from a client with certificate 'CN=alice'");
		}
	}

	@Test
	void handshakeWhenRefusedOrConnectionClosedThenNoRenegotiationCounted() throws IOException {
		double refusedBefore = count("mtls.renegotiation.refused");
		for (String protocol : new String[] { "TLSv1.3", "TLSv1.2" }) {
			String[] protocols = { protocol };
			assertThatIOException().isThrownBy(() -> request(this.stranger.sslBundle().createSslContext(), "GET",
					"/whoami", (socket) -> socket.setEnabledProtocols(protocols)));
			assertThatIOException().isThrownBy(() -> request(withoutCertificate(), "GET", "/whoami",
					(socket) -> socket.setEnabledProtocols(protocols)));
			try (KeepAliveConnection connection = new KeepAliveConnection(this.alice.sslBundle().createSslContext(),
					this.service.port(), (socket) -> socket.setEnabledProtocols(protocols))) {
				assertThat(connection.get("/whoami").body()).isEqualTo("alice");
			}
		}
		assertThat(request(this.alice.sslBundle().createSslContext(), "GET", "/whoami").body()).isEqualTo("alice");

		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(count("mtls.renegotiation.refused")).isEqualTo(refusedBefore));
	}

}
