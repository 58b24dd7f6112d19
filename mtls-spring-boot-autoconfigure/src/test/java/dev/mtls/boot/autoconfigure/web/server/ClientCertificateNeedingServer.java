package dev.mtls.boot.autoconfigure.web.server;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A service that needs a client certificate, started once for the tests of a nested
 * class, with the handshake checks that hold on every TLS engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestCertificateAuthorityExtension.class)
abstract class ClientCertificateNeedingServer {

	private final String[] properties;

	TestCertificateAuthority ca;

	TestCertificate alice;

	TestService service;

	ClientCertificateNeedingServer(String... properties) {
		this.properties = properties;
	}

	@BeforeAll
	void start(TestCertificateAuthority ca) {
		this.ca = ca;
		this.alice = ca.client("alice");
		this.service = TestService.start(ca.writeServiceProperties(this.properties));
	}

	@AfterAll
	void stop() {
		this.service.close();
	}

	@Test
	void requestWhenTrustedClientCertificateThenPrincipalIsCommonName() throws IOException {
		String response = TlsProbe.get(this.alice.sslBundle().createSslContext(), this.service.port(), "/whoami");

		assertThat(response).startsWith("HTTP/1.1 200").endsWith("alice");
	}

	@Test
	void handshakeWhenClientOffersAllProtocolsThenTls13Negotiated() throws IOException {
		CompletableFuture<String> protocol = new CompletableFuture<>();
		TlsProbe.get(this.alice.sslBundle().createSslContext(), this.service.port(), "/whoami", (socket) -> socket
			.addHandshakeCompletedListener((event) -> protocol.complete(event.getSession().getProtocol())));

		// The JDK calls handshake listeners on a thread of their own.
		assertThat(protocol).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("TLSv1.3");
	}

	@Test
	void handshakeWhenNoClientCertificateThenRefused() {
		assertRefused(this.ca.trustOnlySslBundle().createSslContext());
	}

	@Test
	void handshakeWhenClientCertificateFromUntrustedCaThenRefused() {
		TestCertificate stranger = this.ca.client((spec) -> spec.commonName("alice").untrusted());

		assertRefused(stranger.sslBundle().createSslContext());
	}

	@Test
	void handshakeWhenClientCertificateExpiredThenRefused() {
		TestCertificate expired = this.ca.client((spec) -> spec.commonName("alice").expired());

		assertRefused(expired.sslBundle().createSslContext());
	}

	Connector connector() {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.service.context())
			.getWebServer();
		return server.getTomcat().getConnector();
	}

	void assertRefused(SSLContext context) {
		assertRefused(context, (socket) -> {
		});
	}

	void assertRefused(SSLContext context, Consumer<SSLSocket> customizer) {
		assertThatIOException().isThrownBy(() -> TlsProbe.get(context, this.service.port(), "/whoami", customizer))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

}
