package dev.mtls.it;

import java.nio.file.Path;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.Impostor;
import dev.mtls.it.support.Nginx;
import dev.mtls.it.support.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The service's injected {@link RestClient.Builder} against nginx with
 * {@code ssl_verify_client on}: OpenSSL verifies the identity the client presents, and
 * the client refuses nginx when its certificate is for another host or from an untrusted
 * CA.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestClientToNginxIT {

	TestCertificateAuthority ca;

	ConfigurableApplicationContext service;

	@BeforeAll
	void start(@TempDir Path directory) {
		this.ca = Containers.certificateAuthority(directory);
		String[] serviceProperties = this.ca.writeServiceProperties();
		this.ca.writePem("other-host",
				this.ca.client((spec) -> spec.commonName("other").dnsName("other.example").withoutClientAuthUsage()));
		// A CA with the name of the one that signs the test's certificates, but another
		// key.
		this.ca.writePem("untrusted",
				this.ca.adopt(Impostor.of(this.ca.getIssuingAuthority())
					.certificate("localhost")
					.dnsNames("localhost")
					.ipAddresses("127.0.0.1")
					.serverAuth()
					.issue()));
		this.service = new SpringApplicationBuilder(ItApplication.class).web(WebApplicationType.NONE)
			.properties(serviceProperties)
			// The JDK's client, as a Spring MVC service has without another HTTP client
			// library: this module also has Reactor Netty (WebClientToNginxIT).
			.properties("spring.http.clients.imperative.factory=jdk")
			.run();
	}

	@AfterAll
	void stop() {
		if (this.service != null) {
			this.service.close();
		}
	}

	private String call(int port) {
		return this.service.getBean(RestClient.Builder.class)
			.build()
			.get()
			.uri("https://127.0.0.1:" + port + "/")
			.retrieve()
			.body(String.class);
	}

	@Test
	void restClientWhenNginxVerifiesClientsThenIdentityPresentedAndVerifiedByOpenssl() {
		int port = Containers.freePort();
		try (GenericContainer<?> nginx = Nginx.create(this.ca, port, "server")) {
			nginx.start();

			assertThat(call(port)).isEqualTo("dn=CN=localhost verify=SUCCESS\n");
		}
	}

	@Test
	void restClientWhenNginxCertificateForAnotherHostThenRefused() {
		int port = Containers.freePort();
		try (GenericContainer<?> nginx = Nginx.create(this.ca, port, "other-host")) {
			nginx.start();

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> call(port))
				.withStackTraceContaining("127.0.0.1");
			assertThat(nginx.getLogs()).doesNotContain("verify=SUCCESS");
		}
	}

	@Test
	void restClientWhenNginxCertificateFromUntrustedCaThenRefused() {
		int port = Containers.freePort();
		try (GenericContainer<?> nginx = Nginx.create(this.ca, port, "untrusted")) {
			nginx.start();

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> call(port))
				.withStackTraceContaining("no valid path to a trusted CA");
		}
	}

}
