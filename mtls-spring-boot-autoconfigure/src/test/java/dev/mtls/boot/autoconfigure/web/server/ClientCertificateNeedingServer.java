package dev.mtls.boot.autoconfigure.web.server;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A service that needs a client certificate, started once for the tests of a nested
 * class, with the handshake checks that hold on every TLS engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientCertificateNeedingServer {

	private final String[] properties;

	TestPki pki;

	TestService service;

	ClientCertificateNeedingServer(String... properties) {
		this.properties = properties;
	}

	@BeforeAll
	void start(@TempDir Path directory) {
		this.pki = new TestPki(directory);
		this.service = TestService.start(this.pki.serviceProperties(this.properties));
	}

	@AfterAll
	void stop() {
		this.service.close();
	}

	@Test
	void requestWhenTrustedClientCertificateThenPrincipalIsCommonName() throws IOException {
		String response = TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami");

		assertThat(response).startsWith("HTTP/1.1 200").endsWith("alice");
	}

	@Test
	void handshakeWhenClientOffersAllProtocolsThenTls13Negotiated() throws IOException {
		CompletableFuture<String> protocol = new CompletableFuture<>();
		TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami", (socket) -> socket
			.addHandshakeCompletedListener((event) -> protocol.complete(event.getSession().getProtocol())));

		// The JDK calls handshake listeners on a thread of their own.
		assertThat(protocol).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("TLSv1.3");
	}

	@Test
	void handshakeWhenNoClientCertificateThenRefused() {
		assertRefused(this.pki.clientContext(null));
	}

	@Test
	void handshakeWhenClientCertificateFromUntrustedCaThenRefused() {
		IssuedCertificate stranger = CertificateAuthority.create("Other CA").certificate("alice").clientAuth().issue();

		assertRefused(this.pki.clientContext(stranger));
	}

	@Test
	void handshakeWhenClientCertificateExpiredThenRefused() {
		assertRefused(this.pki.clientContext(this.pki.expired("alice")));
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
		assertThatIOException().isThrownBy(() -> TestPki.get(context, this.service.port(), "/whoami", customizer))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

}
