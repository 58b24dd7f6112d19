package dev.mtls.boot.autoconfigure.http.client;

import java.util.HashSet;
import java.util.Set;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound clients keep their mTLS connections and reuse them: one full handshake for
 * many calls, with each client library Spring Boot can pick.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsClientConnectionReuseTests {

	@ParameterizedTest
	@ValueSource(strings = { "jdk", "http-components", "reactor" })
	void restClientWhenCalledRepeatedlyThenOneConnection(String factory, TestCertificateAuthority ca) {
		// Both written before either service starts: a rewrite would reload a running
		// one.
		String[] serverProperties = ca.writeServiceProperties();
		String[] callerProperties = ca.writeServiceProperties("spring.http.clients.imperative.factory=" + factory);
		try (TestService server = TestService.start(PortApp.class, serverProperties);
				TestService caller = TestService.start(callerProperties)) {
			RestClient client = caller.context().getBean(RestClient.Builder.class).build();
			Set<String> ports = new HashSet<>();
			for (int i = 0; i < 20; i++) {
				ports.add(
						client.get().uri("https://127.0.0.1:" + server.port() + "/port").retrieve().body(String.class));
			}

			assertThat(ports).as("client ports seen by the server").hasSize(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class PortApp {

		@GetMapping("/port")
		String port(HttpServletRequest request) {
			return String.valueOf(request.getRemotePort());
		}

	}

}
