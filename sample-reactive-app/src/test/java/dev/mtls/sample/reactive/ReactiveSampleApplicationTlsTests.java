package dev.mtls.sample.reactive;

import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reactive sample on a random port over real TLS (Reactor Netty), called by personas
 * of a test CA through Reactor Netty clients: the rules answer 200 or 403, and
 * certificates that are expired, untrusted, revoked or missing are refused in the
 * handshake, before any HTTP answer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureTestCertificates
class ReactiveSampleApplicationTlsTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	@Autowired
	TestCertificates certificates;

	@LocalServerPort
	int port;

	// README: curl ... --cert $D/alice.crt --key $D/alice.key
	// https://localhost:8444/hello
	@Test
	void helloWhenAliceThenGreetsAlice() {
		TestCertificate alice = this.certificates.client("alice");

		webTestClient(alice.sslBundle()).get()
			.uri("/hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"hello":"alice","subject":"CN=alice","issuer":"%s"}""".formatted(issuer(alice)),
					JsonCompareMode.STRICT);
	}

	// README: curl ... --cert $D/alice.crt --key $D/alice.key https://localhost:8444/call
	@Test
	void callWhenAliceThenSampleCallsItselfPresentingItsOwnCertificate() {
		TestCertificate server = this.certificates.getServerCertificate();

		webTestClient(this.certificates.client("alice").sslBundle()).get()
			.uri("/call")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"downstreamSaid":{"hello":"localhost","subject":"CN=localhost","issuer":"%s"}}"""
				.formatted(issuer(server)), JsonCompareMode.STRICT);
	}

	@Test
	void adminStatusWhenAliceThenOk() {
		WebClient alice = webClient(this.certificates.client("alice").sslBundle());

		assertThat(alice.get().uri("/admin/status").retrieve().bodyToMono(JSON_OBJECT).block())
			.isEqualTo(Map.of("status", "all good", "admin", "alice"));
	}

	@Test
	void adminStatusWhenBobThenForbidden() {
		webTestClient(this.certificates.client("bob").sslBundle()).get()
			.uri("/admin/status")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.FORBIDDEN);
	}

	// README: curl --cacert $D/ca.crt https://localhost:8444/hello
	@Test
	void helloWhenNoCertificateThenRefusedInHandshake() {
		assertRefusedInHandshake(webClient(this.certificates.getAuthority().trustOnlySslBundle()));
	}

	@Test
	void helloWhenExpiredThenRefusedInHandshake() {
		TestCertificate expired = this.certificates.client((spec) -> spec.commonName("alice").expired());

		assertRefusedInHandshake(webClient(expired.sslBundle()));
	}

	@Test
	void helloWhenUntrustedThenRefusedInHandshake() {
		TestCertificate untrusted = this.certificates.client((spec) -> spec.commonName("alice").untrusted());

		assertRefusedInHandshake(webClient(untrusted.sslBundle()));
	}

	@Test
	void helloWhenRevokedThenRefusedInHandshake() {
		TestCertificate alice = this.certificates.client("alice");
		assertThat(webClient(alice.sslBundle()).get().uri("/hello").retrieve().toBodilessEntity().block())
			.extracting((entity) -> entity.getStatusCode())
			.isEqualTo(HttpStatus.OK);

		this.certificates.revoke(alice);

		assertRefusedInHandshake(webClient(alice.sslBundle()));
	}

	private static void assertRefusedInHandshake(WebClient client) {
		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> client.get().uri("/hello").retrieve().toBodilessEntity().block())
			.withRootCauseInstanceOf(SSLHandshakeException.class);
	}

	private WebClient webClient(SslBundle bundle) {
		return WebClient.builder()
			.baseUrl("https://localhost:" + this.port)
			.clientConnector(ClientHttpConnectorBuilder.reactor().build(HttpClientSettings.ofSslBundle(bundle)))
			.build();
	}

	private WebTestClient webTestClient(SslBundle bundle) {
		return WebTestClient
			.bindToServer(ClientHttpConnectorBuilder.reactor().build(HttpClientSettings.ofSslBundle(bundle)))
			.baseUrl("https://localhost:" + this.port)
			.build();
	}

	private static String issuer(TestCertificate certificate) {
		return certificate.getCertificate().getIssuerX500Principal().getName();
	}

}
