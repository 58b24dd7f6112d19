package dev.mtls.boot.autoconfigure.http.client;

import java.nio.file.Path;
import java.time.Duration;

import dev.mtls.boot.dev.CertificateAuthority;
import dev.mtls.boot.dev.IssuedCertificate;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Outbound calls through the auto-configured client builders, against real mTLS servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class MtlsClientTests {

	TestPki pki;

	TestService caller;

	@BeforeAll
	void start(@TempDir Path directory) {
		this.pki = new TestPki(directory);
		this.caller = TestService.start(this.pki.serviceProperties());
	}

	@AfterAll
	void stop() {
		this.caller.close();
	}

	@Test
	void restClientWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		RestClient client = this.caller.context().getBean(RestClient.Builder.class).build();

		String body = client.get()
			.uri("https://127.0.0.1:" + this.caller.port() + "/whoami")
			.retrieve()
			.body(String.class);

		assertThat(body).isEqualTo("localhost");
	}

	@Test
	void restTemplateWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		String body = this.caller.context()
			.getBean(RestTemplateBuilder.class)
			.build()
			.getForObject("https://127.0.0.1:" + this.caller.port() + "/whoami", String.class);

		assertThat(body).isEqualTo("localhost");
	}

	@Test
	void restClientWhenServerCertificateFromUntrustedCaThenFails(@TempDir Path directory) {
		TestPki stranger = new TestPki(directory);
		try (TestService server = TestService.start(stranger.serviceProperties())) {
			RestClient client = this.caller.context().getBean(RestClient.Builder.class).build();

			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> client.get()
					.uri("https://127.0.0.1:" + server.port() + "/whoami")
					.retrieve()
					.body(String.class))
				.withStackTraceContaining("no valid path to a trusted CA")
				.withMessageContaining(
						"the server's certificate is not trusted: it does not chain to a CA of mtls.trust");
		}
	}

	@Test
	void restClientWhenServerRefusesOurCertificateThenMessageSaysSo(@TempDir Path directory) {
		TestPki other = new TestPki(directory);
		try (TestService server = TestService.start("mtls.identity.certificate=" + other.location("server.crt"),
				"mtls.identity.private-key=" + other.location("server.key"),
				"mtls.trust.certificates=" + other.location("ca.crt"))) {
			this.pki.write("both-" + server.port() + ".crt",
					this.pki.ca().asIssued().certificatePem() + other.ca().asIssued().certificatePem());
			try (TestService caller = TestService.start("mtls.identity.certificate=" + this.pki.location("server.crt"),
					"mtls.identity.private-key=" + this.pki.location("server.key"),
					"mtls.trust.certificates=" + this.pki.location("both-" + server.port() + ".crt"))) {
				RestClient client = caller.context().getBean(RestClient.Builder.class).build();

				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> client.get()
						.uri("https://127.0.0.1:" + server.port() + "/whoami")
						.retrieve()
						.body(String.class))
					.withMessageContaining("the server refused our certificate");
			}
		}
	}

	@Test
	void restClientWhenServerNamesOtherCasThenNoCertificateSentAndSaidSo(@TempDir Path directory,
			CapturedOutput output) {
		CertificateAuthority otherCa = CertificateAuthority.create("Unrelated CA");
		this.pki.write("unrelated-ca.crt", otherCa.asIssued().certificatePem());
		try (TestService server = TestService.start("mtls.identity.certificate=" + this.pki.location("server.crt"),
				"mtls.identity.private-key=" + this.pki.location("server.key"),
				"mtls.trust.certificates=" + this.pki.location("unrelated-ca.crt"))) {
			RestClient client = this.caller.context().getBean(RestClient.Builder.class).build();

			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> client.get()
					.uri("https://127.0.0.1:" + server.port() + "/whoami")
					.retrieve()
					.body(String.class))
				.withMessageContaining("the server refused our certificate");
			assertThat(output).contains("A server asked for a client certificate from [CN=Unrelated CA]")
				.contains("no client certificate sent");
		}
	}

	@Test
	void restClientWhenServerNameDoesNotMatchThenFails(@TempDir Path directory) {
		try (TestService server = startWithOtherHostName(directory)) {
			RestClient client = this.caller.context().getBean(RestClient.Builder.class).build();

			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> client.get()
					.uri("https://127.0.0.1:" + server.port() + "/whoami")
					.retrieve()
					.body(String.class))
				.withStackTraceContaining("127.0.0.1")
				.withStackTraceContaining("subject alternative names")
				.withMessageContaining("the server's certificate does not match the host name '127.0.0.1'");
		}
	}

	@Test
	void restClientWhenHostnameVerificationOffThenNameMismatchAccepted(@TempDir Path directory) {
		try (TestService server = startWithOtherHostName(directory);
				TestService relaxed = TestService
					.start(this.pki.serviceProperties("mtls.client.hostname-verification=false"))) {
			RestClient client = relaxed.context().getBean(RestClient.Builder.class).build();

			String body = client.get()
				.uri("https://127.0.0.1:" + server.port() + "/whoami")
				.retrieve()
				.body(String.class);

			assertThat(body).isEqualTo("localhost");
		}
	}

	@Test
	void restClientWhenHostnameVerificationOffThenUntrustedServerStillRefused(@TempDir Path directory) {
		TestPki stranger = new TestPki(directory);
		try (TestService server = TestService.start(stranger.serviceProperties());
				TestService relaxed = TestService
					.start(this.pki.serviceProperties("mtls.client.hostname-verification=false"))) {
			RestClient client = relaxed.context().getBean(RestClient.Builder.class).build();

			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> client.get()
					.uri("https://127.0.0.1:" + server.port() + "/whoami")
					.retrieve()
					.body(String.class))
				.withStackTraceContaining("no valid path to a trusted CA");
		}
	}

	@Test
	void restClientWhenClientDisabledThenNoIdentityPresented() {
		try (TestService plain = TestService.start(this.pki.serviceProperties("mtls.client.enabled=false"))) {
			RestClient client = plain.context().getBean(RestClient.Builder.class).build();

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> client.get()
				.uri("https://127.0.0.1:" + this.caller.port() + "/whoami")
				.retrieve()
				.body(String.class));
		}
	}

	@Test
	void restClientWhenJdkClientAndHostnameVerificationOffThenNameMismatchAccepted(@TempDir Path directory) {
		assertHostnameVerificationOff(directory, "jdk");
	}

	@Test
	void restClientWhenApacheClientAndHostnameVerificationOffThenNameMismatchAccepted(@TempDir Path directory) {
		assertHostnameVerificationOff(directory, "http-components");
	}

	@Test
	void restClientWhenReactorClientAndHostnameVerificationOffThenNameMismatchAccepted(@TempDir Path directory) {
		assertHostnameVerificationOff(directory, "reactor");
	}

	private void assertHostnameVerificationOff(Path directory, String factory) {
		try (TestService server = startWithOtherHostName(directory);
				TestService strict = TestService
					.start(this.pki.serviceProperties("spring.http.clients.imperative.factory=" + factory));
				TestService relaxed = TestService
					.start(this.pki.serviceProperties("mtls.client.hostname-verification=false",
							"spring.http.clients.imperative.factory=" + factory))) {
			String url = "https://127.0.0.1:" + server.port() + "/whoami";

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> strict.context()
				.getBean(RestClient.Builder.class)
				.build()
				.get()
				.uri(url)
				.retrieve()
				.body(String.class));
			assertThat(relaxed.context()
				.getBean(RestClient.Builder.class)
				.build()
				.get()
				.uri(url)
				.retrieve()
				.body(String.class)).isEqualTo("localhost");
		}
	}

	@Test
	void webClientWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		WebClient client = this.caller.context().getBean(WebClient.Builder.class).build();

		String body = client.get()
			.uri("https://127.0.0.1:" + this.caller.port() + "/whoami")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));

		assertThat(body).isEqualTo("localhost");
	}

	@Test
	void httpServiceClientWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		try (TestService client = TestService.start(ServiceClientApp.class, this.pki
			.serviceProperties("spring.http.serviceclient.whoami.base-url=https://127.0.0.1:" + this.caller.port()))) {
			WhoAmI whoAmI = client.context().getBean(WhoAmI.class);

			assertThat(whoAmI.whoami()).isEqualTo("localhost");
		}
	}

	/**
	 * A server trusted by the caller's CA whose certificate names only another host.
	 */
	private TestService startWithOtherHostName(Path directory) {
		CertificateAuthority ca = this.pki.ca();
		IssuedCertificate other = ca.certificate("other").dnsNames("other.example").serverAuth().clientAuth().issue();
		Path certificate = other.writeCertificate(directory.resolve("other.crt"));
		Path key = other.writePrivateKey(directory.resolve("other.key"));
		return TestService.start("mtls.identity.certificate=file:" + certificate,
				"mtls.identity.private-key=file:" + key, "mtls.trust.certificates=" + this.pki.location("ca.crt"));
	}

	interface WhoAmI {

		@GetExchange("/whoami")
		String whoami();

	}

	@Configuration(proxyBeanMethods = false)
	@Import(TestService.App.class)
	@ImportHttpServices(group = "whoami", types = WhoAmI.class)
	static class ServiceClientApp {

	}

}
