package dev.mtls.it;

import java.nio.file.Path;
import java.time.Duration;

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
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A WebFlux service's injected {@link WebClient.Builder} and an HTTP service client on a
 * {@code WebClient} against nginx with {@code ssl_verify_client on}: OpenSSL verifies the
 * identity the client presents, and the client refuses nginx when its certificate is for
 * another host or from an untrusted CA. The service itself runs on Reactor Netty with the
 * starter's mTLS server.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebClientToNginxIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	TestCertificateAuthority ca;

	int peerPort;

	ConfigurableApplicationContext service;

	@BeforeAll
	void start(@TempDir Path directory) {
		this.ca = Containers.certificateAuthority(directory);
		this.peerPort = Containers.freePort();
		String[] serviceProperties = this.ca.writeServiceProperties("server.port=0", "server.address=127.0.0.1",
				"spring.http.serviceclient.peer.base-url=https://127.0.0.1:" + this.peerPort);
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
		// Spring MVC is on this module's class path too: the service is made reactive.
		this.service = new SpringApplicationBuilder(ReactiveItApplication.class).web(WebApplicationType.REACTIVE)
			.properties(serviceProperties)
			.run();
	}

	@AfterAll
	void stop() {
		if (this.service != null) {
			this.service.close();
		}
	}

	private String call(int port) {
		return this.service.getBean(WebClient.Builder.class)
			.build()
			.get()
			.uri("https://127.0.0.1:" + port + "/")
			.retrieve()
			.bodyToMono(String.class)
			.block(TIMEOUT);
	}

	@Test
	void serviceWhenStartedThenWebFluxOnReactorNetty() {
		assertThat(((WebServerApplicationContext) this.service).getWebServer()).isInstanceOf(NettyWebServer.class);
	}

	@Test
	void webClientWhenNginxVerifiesClientsThenIdentityPresentedAndVerifiedByOpenssl() {
		int port = Containers.freePort();
		try (GenericContainer<?> nginx = Nginx.create(this.ca, port, "server")) {
			nginx.start();

			assertThat(call(port)).isEqualTo("dn=CN=localhost verify=SUCCESS\n");
		}
	}

	@Test
	void httpServiceClientWhenNginxVerifiesClientsThenIdentityPresentedAndVerifiedByOpenssl() {
		try (GenericContainer<?> nginx = Nginx.create(this.ca, this.peerPort, "server")) {
			nginx.start();

			assertThat(this.service.getBean(ReactiveItApplication.Peer.class).get().block(TIMEOUT))
				.isEqualTo("dn=CN=localhost verify=SUCCESS\n");
		}
	}

	@Test
	void webClientWhenNginxCertificateForAnotherHostThenRefused() {
		int port = Containers.freePort();
		try (GenericContainer<?> nginx = Nginx.create(this.ca, port, "other-host")) {
			nginx.start();

			assertThatExceptionOfType(WebClientRequestException.class).isThrownBy(() -> call(port))
				.withStackTraceContaining("is for [other.example], not for '127.0.0.1'");
			assertThat(nginx.getLogs()).doesNotContain("verify=SUCCESS");
		}
	}

	@Test
	void webClientWhenNginxCertificateFromUntrustedCaThenRefused() {
		int port = Containers.freePort();
		try (GenericContainer<?> nginx = Nginx.create(this.ca, port, "untrusted")) {
			nginx.start();

			assertThatExceptionOfType(WebClientRequestException.class).isThrownBy(() -> call(port))
				.withStackTraceContaining("no valid path to a trusted CA");
		}
	}

}
