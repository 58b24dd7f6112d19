package dev.mtls.boot.netty;

import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.ServerTlsEngine;
import io.netty.handler.ssl.JdkSslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A WebFlux application on Reactor Netty through real TLS: the server's handshakes use
 * the starter's context (policy and revocation refuse in the handshake), the request's
 * {@link SslInfo} carries the client's chain over HTTP/1.1 and HTTP/2, and the engine
 * choice holds.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsNettyServerCustomizerTests {

	// Tomcat is on this class path too (for the servlet tests): its reactive server and
	// management context would clash with Netty's.
	private static final String NETTY_ONLY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

	@Test
	void requestWhenTrustedClientOverHttp11ThenSslInfoCarriesChain(TestCertificateAuthority ca) throws Exception {
		TestCertificate alice = ca.client("alice");
		try (ConfigurableApplicationContext context = start(ca)) {
			assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(NettyWebServer.class);
			String response = TlsProbe.get(alice.sslBundle().createSslContext(), port(context), "/peer");
			assertThat(response).startsWith("HTTP/1.1 200").endsWith("CN=alice");
		}
	}

	@Test
	void requestWhenTrustedClientOverHttp2ThenSslInfoCarriesChain(TestCertificateAuthority ca) throws Exception {
		TestCertificate alice = ca.client("alice");
		try (ConfigurableApplicationContext context = start(ca, "server.http2.enabled=true")) {
			HttpResponse<String> response = http2(alice.sslBundle().createSslContext(), port(context), "/peer");
			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("CN=alice");
		}
	}

	@Test
	void handshakeWhenClientUntrustedThenRefusedByStarterTrustManager(TestCertificateAuthority ca,
			CapturedOutput output) {
		TestCertificate mallory = ca.client((spec) -> spec.commonName("mallory").untrusted());
		try (ConfigurableApplicationContext context = start(ca)) {
			HandshakeRefusal.assertRefused(
					() -> TlsProbe.get(mallory.sslBundle().createSslContext(), port(context), "/peer"), output,
					"CN=mallory");
		}
	}

	@Test
	void handshakeWhenRefusedWithHttp2ThenLoggedOnceWithoutNettyStackTraces(TestCertificateAuthority ca,
			CapturedOutput output) throws Exception {
		TestCertificate mallory = ca.client((spec) -> spec.commonName("mallory").untrusted());
		try (ConfigurableApplicationContext context = start(ca, "server.http2.enabled=true")) {
			for (int i = 0; i < 3; i++) {
				HandshakeRefusal.assertRefused(
						() -> TlsProbe.get(mallory.sslBundle().createSslContext(), port(context), "/peer"), output,
						"CN=mallory");
				assertThat(catchThrowable(
						() -> TlsProbe.get(ca.trustOnlySslBundle().createSslContext(), port(context), "/peer")))
					.isInstanceOfAny(SSLException.class, SocketException.class);
			}
			// The server is done with the six connections once a new request is served.
			TestCertificate alice = ca.client("alice");
			assertThat(http2(alice.sslBundle().createSslContext(), port(context), "/peer").body())
				.isEqualTo("CN=alice");
		}
		assertThat(output.toString().lines().filter((line) -> line.contains("Refused client certificate"))).hasSize(1);
		assertThat(output).doesNotContain("ApplicationProtocolNegotiationHandler")
			.doesNotContain("TLS handshake failed")
			.doesNotContain("Failed to select the application-level protocol");
	}

	@Test
	void handshakeWhenClientRevokedThenRefused(TestCertificateAuthority ca, CapturedOutput output) {
		TestCertificate bob = ca.client("bob");
		ca.revoke(bob);
		ca.writeCrl();
		try (ConfigurableApplicationContext context = start(ca, "mtls.revocation.crls=" + ca.fileLocation("ca.crl"))) {
			HandshakeRefusal.assertRefused(
					() -> TlsProbe.get(bob.sslBundle().createSslContext(), port(context), "/peer"), output, "revoked");
		}
	}

	@Test
	void handshakeWhenClientSignedWithSha1ThenRefusedByPolicy(TestCertificateAuthority ca, CapturedOutput output) {
		TestCertificate legacy = ca.client((spec) -> spec.commonName("legacy").sha1());
		try (ConfigurableApplicationContext context = start(ca)) {
			HandshakeRefusal.assertRefused(
					() -> TlsProbe.get(legacy.sslBundle().createSslContext(), port(context), "/peer"), output,
					"CN=legacy");
		}
	}

	@Test
	void requestWhenClientAuthWantAndNoCertificateThenServedWithoutChain(TestCertificateAuthority ca) throws Exception {
		try (ConfigurableApplicationContext context = start(ca, "mtls.server.client-auth=want",
				"mtls.authorization.default=permit")) {
			String response = TlsProbe.get(ca.trustOnlySslBundle().createSslContext(), port(context), "/peer");
			assertThat(response).startsWith("HTTP/1.1 200").endsWith("none");
		}
	}

	@Test
	void handshakeWhenClientAuthNeedAndNoCertificateThenRefused(TestCertificateAuthority ca) {
		try (ConfigurableApplicationContext context = start(ca)) {
			SSLContext anonymous = ca.trustOnlySslBundle().createSslContext();
			assertThat(catchThrowable(() -> TlsProbe.get(anonymous, port(context), "/peer")))
				.isInstanceOfAny(SSLException.class, SocketException.class);
		}
	}

	@Test
	void serverWhenEngineConscryptThenContextFromConscryptServes(TestCertificateAuthority ca) throws Exception {
		TestCertificate alice = ca.client("alice");
		try (ConfigurableApplicationContext context = start(ca, "mtls.server.engine=conscrypt")) {
			MtlsNettyServerCustomizer customizer = customizer(context);
			assertThat(((JdkSslContext) customizer.getSslContext()).context().getProvider().getName())
				.startsWith("Conscrypt")
				.isEqualTo(context.getBean(ServerTlsEngine.class).getProviderName());
			assertThat(TlsProbe.get(alice.sslBundle().createSslContext(), port(context), "/peer"))
				.startsWith("HTTP/1.1 200")
				.endsWith("CN=alice");
		}
	}

	@Test
	void contextWhenNoOnlineRevocationThenHandshakeTasksNotOffloaded(TestCertificateAuthority ca) throws Exception {
		try (ConfigurableApplicationContext context = start(ca)) {
			assertThat(customizer(context).getSslContext()).isInstanceOf(JdkSslContext.class)
				.isNotInstanceOf(OffloadedHandshakeSslContext.class);
			assertThat(TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), port(context), "/peer"))
				.endsWith("CN=alice");
		}
	}

	// That no event loop waits for a responder is RevocationFaultsTests' (server-tests).
	@Test
	void contextWhenOnlineRevocationThenHandshakeTasksOffloaded(TestCertificateAuthority ca) {
		try (ConfigurableApplicationContext context = start(ca, "mtls.revocation.ocsp=true")) {
			assertThat(customizer(context).getSslContext()).isInstanceOf(OffloadedHandshakeSslContext.class);
		}
		try (ConfigurableApplicationContext context = start(ca, "mtls.revocation.distribution-points=true")) {
			assertThat(customizer(context).getSslContext()).isInstanceOf(OffloadedHandshakeSslContext.class);
		}
	}

	@Test
	void startWhenEngineConscryptAndHttp2ThenFailsNamingEngine(TestCertificateAuthority ca) {
		// Netty's ALPN wrapper reads Conscrypt's "no protocol" as an error: HTTP/1.1
		// clients that offer no ALPN were dropped after the handshake.
		assertThatThrownBy(() -> start(ca, "mtls.server.engine=conscrypt", "server.http2.enabled=true").close())
			.rootCause()
			.isInstanceOfSatisfying(MtlsConfigurationException.class, (ex) -> {
				assertThat(ex.getProperty()).isEqualTo("mtls.server.engine");
				assertThat(ex.getAction()).contains("server.http2.enabled=false");
			});
	}

	@Test
	void managementPortWhenClientAuthDefaultThenHealthWithoutCertificateAndMainPortStillNeedsOne(
			TestCertificateAuthority ca) throws Exception {
		try (ConfigurableApplicationContext context = start(ca, "management.server.port=0")) {
			SSLContext anonymous = ca.trustOnlySslBundle().createSslContext();
			assertThat(TlsProbe.get(anonymous, managementPort(context), "/actuator/health")).startsWith("HTTP/1.1 200")
				.contains("\"status\":\"UP\"");
			assertThat(catchThrowable(() -> TlsProbe.get(anonymous, port(context), "/peer")))
				.isInstanceOfAny(SSLException.class, SocketException.class);
		}
	}

	@Test
	void managementPortWhenClientAuthNeedThenRevokedClientRefusedInHandshake(TestCertificateAuthority ca,
			CapturedOutput output) throws Exception {
		TestCertificate alice = ca.client("alice");
		TestCertificate bob = ca.client("bob");
		ca.revoke(bob);
		ca.writeCrl();
		try (ConfigurableApplicationContext context = start(ca, "management.server.port=0",
				"mtls.management.client-auth=need", "mtls.revocation.crls=" + ca.fileLocation("ca.crl"))) {
			assertThat(TlsProbe.get(alice.sslBundle().createSslContext(), managementPort(context), "/actuator/health"))
				.startsWith("HTTP/1.1 200");
			HandshakeRefusal.assertRefused(
					() -> TlsProbe.get(bob.sslBundle().createSslContext(), managementPort(context), "/actuator/health"),
					output, "revoked");
		}
	}

	private static int managementPort(ConfigurableApplicationContext context) {
		Integer port = context.getEnvironment().getProperty("local.management.port", Integer.class);
		assertThat(port).isNotNull().isNotEqualTo(port(context));
		return port;
	}

	private static ConfigurableApplicationContext start(TestCertificateAuthority ca, String... properties) {
		SpringApplication application = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off", NETTY_ONLY)
			.properties(ca.writeServiceProperties(properties))
			.build();
		return application.run();
	}

	private static MtlsNettyServerCustomizer customizer(ConfigurableApplicationContext context) {
		return context.getBean(NettyReactiveWebServerFactory.class)
			.getServerCustomizers()
			.stream()
			.filter(MtlsNettyServerCustomizer.class::isInstance)
			.map(MtlsNettyServerCustomizer.class::cast)
			.findFirst()
			.orElseThrow();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static HttpResponse<String> http2(SSLContext sslContext, int port, String path) throws Exception {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.sslContext(sslContext)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class App {

		/** The subject of the client's certificate as WebFlux sees it, or "none". */
		@GetMapping("/peer")
		String peer(ServerHttpRequest request) {
			SslInfo sslInfo = request.getSslInfo();
			X509Certificate[] chain = (sslInfo != null) ? sslInfo.getPeerCertificates() : null;
			return (chain != null && chain.length > 0) ? chain[0].getSubjectX500Principal().getName() : "none";
		}

	}

}
