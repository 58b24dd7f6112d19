package dev.mtls.boot.autoconfigure.web.server;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server connector on BoringSSL through Conscrypt
 * ({@code mtls.server.engine=conscrypt}): the same identity, trust, policy and principal
 * mapping as on the JDK's TLS.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class ConscryptEngineTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MtlsAutoConfiguration.class,
				MtlsServerAutoConfiguration.class));

	@Test
	void startWhenConscryptMissingThenFailureNamesDependency(TestCertificateAuthority ca) {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.conscrypt"))
			.withPropertyValues(ca.writeServiceProperties("mtls.server.engine=conscrypt"))
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
	void startWhenCipherSuiteConscryptLacksThenFailureNamesIt(TestCertificateAuthority ca) {
		// The JDK implements DHE suites, Conscrypt does not: every connection failed.
		this.contextRunner.withPropertyValues(ca.writeServiceProperties("mtls.server.engine=conscrypt",
				"mtls.server.cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"))
			.run((context) -> {
				assertThat(context).hasFailed();
				MtlsConfigurationException failure = findCause(context.getStartupFailure());
				assertThat(failure.getProperty()).isEqualTo("mtls.server.cipher-suites[1]");
				assertThat(failure.getProblem()).contains("does not implement the cipher suite");
			});
	}

	@Test
	void startWhenEngineUnknownThenFailureListsValues(TestCertificateAuthority ca) {
		this.contextRunner.withPropertyValues(ca.writeServiceProperties("mtls.server.engine=openssl"))
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
	class Serving extends ClientCertificateNeedingServer {

		Serving() {
			super("mtls.server.engine=conscrypt");
		}

		@Test
		void connectorWhenConscryptThenEnginesComeFromConscrypt() {
			AbstractHttp11Protocol<?> protocol = (AbstractHttp11Protocol<?>) connector().getProtocolHandler();
			SSLEngine engine = protocol.findSslHostConfigs()[0].getCertificates()
				.iterator()
				.next()
				.getSslContext()
				.createSSLEngine();

			// On Tomcat, the starter's wrapper (which counts refused renegotiations) is
			// named as the engine it wraps.
			assertThat(engine.toString()).startsWith("org.conscrypt.");
		}

		@Test
		void handshakeWhenTls12ThenOnlyConfiguredSuites() throws IOException {
			CompletableFuture<String> suite = new CompletableFuture<>();
			TlsProbe.get(this.alice.sslBundle().createSslContext(), this.service.port(), "/whoami", (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.addHandshakeCompletedListener((event) -> suite.complete(event.getCipherSuite()));
			});

			assertThat(suite).succeedsWithin(Duration.ofSeconds(10))
				.asString()
				.startsWith("TLS_ECDHE_ECDSA_WITH_")
				.containsAnyOf("GCM", "CHACHA20");
			assertRefused(this.alice.sslBundle().createSslContext(), (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" });
			});
		}

		@Test
		void handshakeWhenClientBreaksPolicyThenRefusedByStarterTrustManager() {
			TestCertificate weak = this.ca.client((spec) -> spec.commonName("weak").rsa(1024));

			assertRefused(weak.sslBundle().createSslContext());
		}

		@Test
		void handshakeAfterReloadThenNewServerCertificate() throws IOException {
			TestCertificate renewed = this.ca.newServerCertificate();
			this.ca.writePem("server", renewed);
			assertThat(this.service.context().getBean(MtlsTlsMaterial.class).reload()).isTrue();

			CompletableFuture<X509Certificate> seen = new CompletableFuture<>();
			TlsProbe.get(this.alice.sslBundle().createSslContext(), this.service.port(), "/whoami",
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

	}

}
