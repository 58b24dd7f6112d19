package dev.mtls.boot.testsupport;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mtls.boot.identity.CertificateIdentity;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.net.SSLSupport;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real service on the starter, with Tomcat on a free port of 127.0.0.1, answering
 * {@code GET /whoami} with the caller's principal name.
 */
public final class TestService implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private TestService(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static TestService start(String... properties) {
		return start(App.class, properties);
	}

	public static TestService start(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		return new TestService(context);
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	public static class App {

		@GetMapping("/whoami")
		String whoami(@AuthenticationPrincipal CertificateIdentity caller) {
			return caller.getName();
		}

		/** The TLS request attributes Tomcat gives the application, one per line. */
		@GetMapping("/tls")
		String tls(HttpServletRequest request) {
			return Stream
				.of(SSLSupport.SESSION_ID_KEY, SSLSupport.REQUESTED_PROTOCOL_VERSIONS_KEY,
						SSLSupport.REQUESTED_CIPHERS_KEY, SSLSupport.PROTOCOL_VERSION_KEY)
				.map((name) -> name + "=" + request.getAttribute(name))
				.collect(Collectors.joining("\n"));
		}

	}

}
