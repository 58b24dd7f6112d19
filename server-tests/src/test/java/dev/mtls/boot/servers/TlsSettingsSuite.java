package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@code mtls.server.protocols} and {@code mtls.server.cipher-suites} set by the
 * application: the server offers exactly those, not the defaults.
 */
abstract class TlsSettingsSuite extends ServerSuite {

	private static final String SUITE = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

	TestCertificate alice;

	TlsSettingsSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		return ca.writeServiceProperties("mtls.server.protocols=TLSv1.2", "mtls.server.cipher-suites=" + SUITE);
	}

	@Test
	void handshakeWhenClientOffersDefaultsThenConfiguredProtocolAndSuiteNegotiated() throws IOException {
		CompletableFuture<SSLSession> session = new CompletableFuture<>();
		Response response = request(this.alice.sslBundle().createSslContext(), "GET", "/whoami",
				(socket) -> socket.addHandshakeCompletedListener((event) -> session.complete(event.getSession())));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("alice");
		assertThat(session).succeedsWithin(Duration.ofSeconds(10)).satisfies((negotiated) -> {
			assertThat(negotiated.getProtocol()).isEqualTo("TLSv1.2");
			assertThat(negotiated.getCipherSuite()).isEqualTo(SUITE);
		});
	}

	@Test
	void handshakeWhenClientOffersOnlyTls13ThenRefused() {
		assertThatIOException()
			.isThrownBy(() -> request(this.alice.sslBundle().createSslContext(), "GET", "/whoami",
					(socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.3" })))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

	@Test
	void handshakeWhenClientOffersOnlyAnotherDefaultSuiteThenRefused() {
		assertThatIOException()
			.isThrownBy(() -> request(this.alice.sslBundle().createSslContext(), "GET", "/whoami", (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" });
			}))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

}
