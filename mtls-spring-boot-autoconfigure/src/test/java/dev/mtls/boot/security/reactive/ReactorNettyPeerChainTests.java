package dev.mtls.boot.security.reactive;

import java.security.Principal;
import java.security.cert.X509Certificate;

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

	@Test
	void ofWhenNotReactorNettysRequestThenUnknown() {
		ServerHttpRequest request = MockServerHttpRequest.get("/hello").build();

		assertThat(ReactorNettyPeerChain.of(request)).isSameAs(ReactorNettyPeerChain.UNKNOWN);
		assertThat(ReactorNettyPeerChain.of(new ServerHttpRequestDecorator(request)))
			.isSameAs(ReactorNettyPeerChain.UNKNOWN);
	}

	@Test
	void ofWhenRequestThroughSecurityChainOnReactorNettyThenChainReadFromConnection(TestCertificateAuthority ca)
			throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off", NETTY_ONLY)
			.properties(ca.writeServiceProperties())
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();

			String response = TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), port, "/chain");

			// The handler sees the request as Spring Security's firewall decorates it.
			assertThat(response).startsWith("HTTP/1.1 200")
				.endsWith("principal alice, decorated true, chain CN=alice, SslInfo built false, "
						+ "own getSslInfo() unknown");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class App {

		@GetMapping("/chain")
		String chain(ServerHttpRequest request, Principal principal) {
			X509Certificate[] chain = ReactorNettyPeerChain.of(request);
			X509Certificate[] ownSslInfo = ReactorNettyPeerChain.of(new ServerHttpRequestDecorator(request) {

				@Override
				public @Nullable SslInfo getSslInfo() {
					return super.getSslInfo();
				}

			});
			return "principal %s, decorated %s, chain %s, SslInfo built %s, own getSslInfo() %s".formatted(
					principal.getName(), request instanceof ServerHttpRequestDecorator, subject(chain),
					isSslInfoBuilt(request), (ownSslInfo == ReactorNettyPeerChain.UNKNOWN) ? "unknown" : "read");
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

}
