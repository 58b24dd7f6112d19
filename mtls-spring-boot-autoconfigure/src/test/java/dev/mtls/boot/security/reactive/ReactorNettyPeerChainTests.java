package dev.mtls.boot.security.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TlsProbe;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactorNettyPeerChain}: the request Spring builds from Reactor Netty's
 * is read from its connection, also through decorators that leave {@code getSslInfo()} to
 * it (Spring Security's firewall); any other request, or a decorator answering
 * {@code getSslInfo()} itself, is left to its {@code SslInfo}. That the chain reaches the
 * principal on every server is checked in {@code server-tests} (Netty, HTTP/1.1 and
 * HTTP/2, with and without a certificate, forwarded certificates).
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class ReactorNettyPeerChainTests {

	// Tomcat is on this class path too (for the servlet tests): its reactive server and
	// management context would clash with Netty's.
	private static final String NETTY_ONLY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

	// The handler sees the request as Spring Security's firewall decorates it; the
	// starter's authentication read the chain without Spring's SslInfo.
	private static final String EXPECTED = "principal alice, decorated true, chain CN=alice, SslInfo built false, "
			+ "own getSslInfo() unknown, inherited own getSslInfo() unknown";

	@Test
	void ofWhenNotReactorNettysRequestThenUnknown() {
		ServerHttpRequest request = MockServerHttpRequest.get("/hello").build();

		assertThat(ReactorNettyPeerChain.of(request)).isSameAs(ReactorNettyPeerChain.UNKNOWN);
		assertThat(ReactorNettyPeerChain.of(new ServerHttpRequestDecorator(request)))
			.isSameAs(ReactorNettyPeerChain.UNKNOWN);
	}

	@Test
	void ofWhenDecoratorDelegatesToItselfThenUnknown() {
		ServerHttpRequest request = new ServerHttpRequestDecorator(MockServerHttpRequest.get("/hello").build()) {

			@Override
			public ServerHttpRequest getDelegate() {
				return this;
			}

		};

		// On a thread of its own: a loop would not end.
		assertThat(CompletableFuture.supplyAsync(() -> ReactorNettyPeerChain.of(request)))
			.succeedsWithin(Duration.ofSeconds(10))
			.isSameAs(ReactorNettyPeerChain.UNKNOWN);
	}

	@Test
	void ofWhenRequestThroughSecurityChainOverHttp11ThenChainReadFromConnection(TestCertificateAuthority ca)
			throws Exception {
		try (ConfigurableApplicationContext context = start(ca)) {
			String response = TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), port(context), "/chain");

			assertThat(response).startsWith("HTTP/1.1 200").endsWith(EXPECTED);
		}
	}

	@Test
	void ofWhenRequestThroughSecurityChainOverHttp2ThenChainReadFromConnection(TestCertificateAuthority ca)
			throws Exception {
		try (ConfigurableApplicationContext context = start(ca, "server.http2.enabled=true")) {
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_2)
				.sslContext(ca.client("alice").sslBundle().createSslContext())
				.connectTimeout(Duration.ofSeconds(10))
				.build();

			HttpResponse<String> response = client
				.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port(context) + "/chain"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.body()).isEqualTo(EXPECTED);
		}
	}

	private static ConfigurableApplicationContext start(TestCertificateAuthority ca, String... properties) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off", NETTY_ONLY)
			.properties(ca.writeServiceProperties(properties))
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class App {

		@GetMapping("/chain")
		String chain(ServerHttpRequest request, Principal principal) {
			X509Certificate[] chain = ReactorNettyPeerChain.of(request);
			return "principal %s, decorated %s, chain %s, SslInfo built %s, own getSslInfo() %s, inherited own getSslInfo() %s"
				.formatted(principal.getName(), request instanceof ServerHttpRequestDecorator, subject(chain),
						isSslInfoBuilt(request), read(new OwnSslInfo(request)), read(new InheritedOwnSslInfo(request)));
		}

		private static String read(ServerHttpRequest request) {
			return (ReactorNettyPeerChain.of(request) == ReactorNettyPeerChain.UNKNOWN) ? "unknown" : "read";
		}

		private static String subject(X509Certificate @Nullable [] chain) {
			return (chain == null || chain == ReactorNettyPeerChain.UNKNOWN) ? String.valueOf(chain)
					: chain[0].getSubjectX500Principal().getName();
		}

		// Spring's request builds its SslInfo on first use; the starter's
		// authentication must not have used it.
		private static boolean isSslInfoBuilt(ServerHttpRequest request) {
			ServerHttpRequest undecorated = request;
			while (undecorated instanceof ServerHttpRequestDecorator decorator) {
				undecorated = decorator.getDelegate();
			}
			return ReflectionTestUtils.getField(undecorated, "sslInfo") != null;
		}

	}

	static class OwnSslInfo extends ServerHttpRequestDecorator {

		OwnSslInfo(ServerHttpRequest delegate) {
			super(delegate);
		}

		@Override
		public @Nullable SslInfo getSslInfo() {
			return super.getSslInfo();
		}

	}

	static class InheritedOwnSslInfo extends OwnSslInfo {

		InheritedOwnSslInfo(ServerHttpRequest delegate) {
			super(delegate);
		}

	}

}
