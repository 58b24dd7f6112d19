package dev.mtls.boot.test;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * Clients on an SSL bundle, bound to the server under test, built with Boot's detected
 * HTTP client.
 */
final class ServerClients {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

	private ServerClients() {
	}

	static RestClient restClient(String baseUrl, SslBundle bundle) {
		return RestClient.builder().baseUrl(baseUrl).requestFactory(requestFactory(bundle)).build();
	}

	static RestTestClient restTestClient(String baseUrl, SslBundle bundle) {
		return RestTestClient.bindToServer(requestFactory(bundle)).baseUrl(baseUrl).build();
	}

	private static ClientHttpRequestFactory requestFactory(SslBundle bundle) {
		// Bounded, so that a server under test that hangs fails the test instead.
		return ClientHttpRequestFactoryBuilder.detect()
			.build(HttpClientSettings.ofSslBundle(bundle).withTimeouts(CONNECT_TIMEOUT, READ_TIMEOUT));
	}

	/**
	 * Return the base URL of the context's embedded server, context path (or WebFlux base
	 * path) included, or {@code null} if the context runs none.
	 * @param environment the context's environment
	 * @return the base URL
	 */
	static @Nullable String serverUrl(Environment environment) {
		String port = environment.getProperty("local.server.port");
		if (port == null) {
			return null;
		}
		String contextPath = environment.getProperty("server.servlet.context-path",
				environment.getProperty("spring.webflux.base-path", ""));
		return "https://localhost:" + port + normalized(contextPath);
	}

	// As Boot cleans a base path: a leading slash, no trailing one.
	private static String normalized(String path) {
		String trimmed = StringUtils.trimTrailingCharacter(path.strip(), '/');
		return (trimmed.isEmpty() || trimmed.startsWith("/")) ? trimmed : "/" + trimmed;
	}

	static String requireServerUrl(Supplier<@Nullable String> serverUrl, String method) {
		String url = serverUrl.get();
		if (url == null) {
			throw new IllegalStateException(method
					+ " needs the server under test: run the test with @SpringBootTest(webEnvironment = RANDOM_PORT) "
					+ "and @AutoConfigureTestCertificates, or pass the base URL");
		}
		return url;
	}

}
