package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 ({@code server.http2.enabled}) and HTTP/1.1 on one server, with the principal
 * named by the SPIFFE ID ({@code mtls.principal.name=spiffe-id}): the request's verified
 * chain must reach the authentication over both protocols (on Netty, HTTP/2 streams are
 * child channels of the connection that holds the TLS session).
 */
abstract class Http2Suite extends ServerSuite {

	private static final String CHECKOUT = "spiffe://acme.org/ns/shop/sa/checkout";

	TestCertificate checkout;

	Http2Suite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.checkout = ca.client((spec) -> spec.commonName("checkout").spiffeId(CHECKOUT));
		return ca.writeServiceProperties("server.http2.enabled=true", "mtls.principal.name=spiffe-id");
	}

	@Test
	void requestWhenHttp2ThenAuthenticatedWithSpiffeId() throws Exception {
		HttpResponse<String> response = http2(this.checkout.sslBundle().createSslContext(), "/whoami");

		assertThat(response.version()).isEqualTo(Version.HTTP_2);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CHECKOUT);
	}

	@Test
	void requestWhenHttp2AndCertificateInItsLastQuarterThenServedAsUsual() throws Exception {
		// HTTP/2 has no Connection header: the request that would ask an HTTP/1.1 client
		// for a new connection is served as any other.
		Instant now = Instant.now();
		TestCertificate ageing = this.ca.client((spec) -> spec.commonName("ageing")
			.spiffeId(CHECKOUT)
			.validity(now.minus(Duration.ofMinutes(150)), now.plus(Duration.ofMinutes(30))));

		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = http2(ageing.sslBundle().createSslContext(), "/whoami");

			assertThat(response.version()).isEqualTo(Version.HTTP_2);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(CHECKOUT);
			assertThat(response.headers().firstValue("connection")).isEmpty();
		}
	}

	@Test
	void requestWhenHttp11OnHttp2ServerThenAuthenticatedWithSpiffeId() throws IOException {
		Response response = get(this.checkout, "/whoami");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CHECKOUT);
	}

	@Test
	void requestWhenHttp2AndCertificateWithoutSpiffeIdThenUnauthorizedAndReasonLogged(CapturedOutput output)
			throws Exception {
		HttpResponse<String> response = http2(this.ca.client("bare").sslBundle().createSslContext(), "/whoami");

		assertThat(response.version()).isEqualTo(Version.HTTP_2);
		assertThat(response.statusCode()).isEqualTo(401);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output).contains("'CN=bare' cannot name a principal")
				.contains("mtls.principal.name=spiffe-id"));
	}

	@Test
	void handshakeWhenHttp2AndNoCertificateThenRefused() {
		assertThatIOException().isThrownBy(() -> http2(withoutCertificate(), "/whoami"));
	}

	private HttpResponse<String> http2(SSLContext client, String path) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder()
			.version(Version.HTTP_2)
			.sslContext(client)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		// Java 17 has no HttpClient.close(): its selector thread ends when the client is
		// unreachable.
		HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.service.port() + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return http.send(request, BodyHandlers.ofString());
	}

}
