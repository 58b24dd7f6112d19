package dev.mtls.boot.autoconfigure.web.server;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.dev.CertificateAuthority;
import dev.mtls.boot.dev.IssuedCertificate;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The server connector on BoringSSL through Conscrypt
 * ({@code mtls.server.engine=conscrypt}): the same identity, trust, policy and principal
 * mapping as on the JDK's TLS.
 */
class ConscryptEngineTests {

	@Test
	void startWhenConscryptMissingThenFailureNamesDependency(@TempDir Path directory) {
		TestPki pki = new TestPki(directory);
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MtlsAutoConfiguration.class,
					MtlsServerAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.conscrypt"))
			.withPropertyValues(pki.serviceProperties("mtls.server.engine=conscrypt"))
			.run((context) -> {
				assertThat(context).hasFailed();
				MtlsConfigurationException failure = findCause(context.getStartupFailure());
				assertThat(failure.getProperty()).isEqualTo("mtls.server.engine");
				assertThat(failure.getMessage()).contains("mtls.server.engine")
					.contains("Conscrypt is not on the class path");
				assertThat(failure.getAction()).contains("org.conscrypt:conscrypt-openjdk-uber");
			});
	}

	@Test
	void startWhenEngineUnknownThenFailureListsValues(@TempDir Path directory) {
		TestPki pki = new TestPki(directory);
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MtlsAutoConfiguration.class,
					MtlsServerAutoConfiguration.class))
			.withPropertyValues(pki.serviceProperties("mtls.server.engine=openssl"))
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("openssl"));
	}

	private static MtlsConfigurationException findCause(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof MtlsConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).isNotNull();
		return (MtlsConfigurationException) cause;
	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class Serving {

		TestPki pki;

		TestService service;

		@BeforeAll
		void start(@TempDir Path directory) {
			this.pki = new TestPki(directory);
			this.service = TestService.start(this.pki.serviceProperties("mtls.server.engine=conscrypt"));
		}

		@AfterAll
		void stop() {
			this.service.close();
		}

		@Test
		void connectorWhenConscryptThenEnginesComeFromConscrypt() {
			TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.service.context())
				.getWebServer();
			Connector connector = server.getTomcat().getConnector();
			AbstractHttp11Protocol<?> protocol = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
			SSLEngine engine = protocol.findSslHostConfigs()[0].getCertificates()
				.iterator()
				.next()
				.getSslContext()
				.createSSLEngine();

			assertThat(engine.getClass().getName()).startsWith("org.conscrypt.");
		}

		@Test
		void requestWhenTrustedClientThenPrincipalFromCertificate() throws IOException {
			String response = TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami");

			assertThat(response).startsWith("HTTP/1.1 200").endsWith("alice");
		}

		@Test
		void handshakeWhenDefaultsThenTls13() throws IOException {
			CompletableFuture<String> protocol = new CompletableFuture<>();
			TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami", (socket) -> socket
				.addHandshakeCompletedListener((event) -> protocol.complete(event.getSession().getProtocol())));

			assertThat(protocol).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("TLSv1.3");
		}

		@Test
		void handshakeWhenTls12ThenOnlyConfiguredSuites() throws IOException {
			CompletableFuture<String> suite = new CompletableFuture<>();
			TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami", (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.addHandshakeCompletedListener((event) -> suite.complete(event.getCipherSuite()));
			});

			assertThat(suite).succeedsWithin(Duration.ofSeconds(10))
				.asString()
				.startsWith("TLS_ECDHE_ECDSA_WITH_")
				.containsAnyOf("GCM", "CHACHA20");
			assertThatIOException().isThrownBy(() -> TestPki.get(this.pki.clientContext(this.pki.alice()),
					this.service.port(), "/whoami", (socket) -> {
						socket.setEnabledProtocols(new String[] { "TLSv1.2" });
						socket.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" });
					}));
		}

		@Test
		void handshakeWhenNoClientCertificateThenRefused() {
			assertRefused(this.pki.clientContext(null));
		}

		@Test
		void handshakeWhenUntrustedClientThenRefused() {
			IssuedCertificate stranger = CertificateAuthority.create("Other CA")
				.certificate("alice")
				.clientAuth()
				.issue();

			assertRefused(this.pki.clientContext(stranger));
		}

		@Test
		void handshakeWhenClientBreaksPolicyThenRefusedByStarterTrustManager() {
			IssuedCertificate weak = this.pki.ca().certificate("weak").clientAuth().rsa(1024).issue();

			assertRefused(this.pki.clientContext(weak));
		}

		@Test
		void handshakeWhenExpiredThenRefused() {
			assertRefused(this.pki.clientContext(this.pki.expired("alice")));
		}

		@Test
		void handshakeAfterReloadThenNewServerCertificate() throws IOException {
			IssuedCertificate renewed = this.pki.ca()
				.certificate("localhost")
				.dnsNames("localhost")
				.ipAddresses("127.0.0.1")
				.serverAuth()
				.issue();
			renewed.writeCertificate(this.pki.file("server.crt"));
			renewed.writePrivateKey(this.pki.file("server.key"));
			assertThat(this.service.context().getBean(MtlsTlsMaterial.class).reload()).isTrue();

			CompletableFuture<X509Certificate> seen = new CompletableFuture<>();
			TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami",
					(socket) -> socket.addHandshakeCompletedListener((event) -> seen.complete(peer(event))));

			assertThat(seen).succeedsWithin(Duration.ofSeconds(10))
				.extracting(X509Certificate::getSerialNumber)
				.isEqualTo(renewed.getCertificate().getSerialNumber());
		}

		private static X509Certificate peer(HandshakeCompletedEvent event) {
			try {
				return (X509Certificate) event.getPeerCertificates()[0];
			}
			catch (SSLPeerUnverifiedException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private void assertRefused(SSLContext context) {
			assertThatIOException().isThrownBy(() -> TestPki.get(context, this.service.port(), "/whoami"))
				.satisfies((ex) -> assertThat(ex).isInstanceOfAny(SSLException.class, SocketException.class));
		}

	}

}
