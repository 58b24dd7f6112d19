package dev.mtls.boot.autoconfigure.http.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.tls.MtlsTlsMaterial;
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
import static org.assertj.core.api.Assertions.assertThatException;

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

	@ParameterizedTest
	@ValueSource(strings = { "jdk", "http-components", "reactor" })
	void restClientWhenServerNoLongerTrustedAfterReloadThenPooledConnectionNotUsedAgain(String factory,
			TestCertificateAuthority ca) throws IOException {
		String[] serverProperties = ca.writeServiceProperties();
		Path trust = ca.getDirectory().resolve("caller-trust.crt");
		Files.writeString(trust, ca.getCaCertificatePem());
		String[] callerProperties = ca.writeServiceProperties("spring.http.clients.imperative.factory=" + factory,
				"mtls.trust.certificates=file:" + trust, "mtls.reload.enabled=false");
		try (TestService server = TestService.start(PortApp.class, serverProperties);
				TestService caller = TestService.start(callerProperties)) {
			RestClient client = caller.context().getBean(RestClient.Builder.class).build();
			MtlsTlsMaterial material = caller.context().getBean(MtlsTlsMaterial.class);
			Supplier<String> call = () -> client.get()
				.uri("https://127.0.0.1:" + server.port() + "/port")
				.retrieve()
				.body(String.class);
			String port = call.get();
			assertThat(call.get()).isEqualTo(port);
			// A reload that still trusts the server keeps the connection.
			assertThat(material.reload()).isTrue();
			assertThat(call.get()).as("the pooled connection after a reload that trusts the server").isEqualTo(port);
			// Now the server's CA is no longer trusted: its connection must carry no
			// call.
			Files.writeString(trust, CertificateAuthority.create("Other CA").asIssued().certificatePem());

			assertThat(material.reload()).isTrue();

			assertThatException().as("a call after the reload that refuses the server").isThrownBy(call::get);
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
