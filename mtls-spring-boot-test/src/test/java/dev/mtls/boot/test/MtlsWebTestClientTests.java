package dev.mtls.boot.test;

import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.http.server.reactive.SslInfo;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link MtlsWebTestClient}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsWebTestClientTests {

	@Test
	void certificateWhenMockBoundClientThenChainPresentedAsSslInfoLeafFirst(TestCertificateAuthority ca) {
		TestCertificate alice = ca.client("alice");
		AtomicReference<SslInfo> presented = new AtomicReference<>();
		WebTestClient client = WebTestClient.bindToWebHandler((exchange) -> {
			presented.set(exchange.getRequest().getSslInfo());
			return exchange.getResponse().setComplete();
		}).build();

		client.mutateWith(MtlsWebTestClient.certificate(alice)).get().uri("/").exchange().expectStatus().isOk();

		assertThat(presented.get().getPeerCertificates())
			.containsExactly(alice.getChain().toArray(X509Certificate[]::new));
		assertThat(presented.get().getPeerCertificates()[0]).isEqualTo(alice.getCertificate());
	}

	@Test
	void certificateWhenNotPresentedThenNoSslInfo() {
		AtomicReference<SslInfo> presented = new AtomicReference<>();
		WebTestClient client = WebTestClient.bindToWebHandler((exchange) -> {
			presented.set(exchange.getRequest().getSslInfo());
			return exchange.getResponse().setComplete();
		}).build();

		client.get().uri("/").exchange().expectStatus().isOk();

		assertThat(presented.get()).isNull();
	}

	@Test
	void certificateWhenServerBoundClientThenFailsSayingHow(TestCertificateAuthority ca) {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("https://localhost:1").build();

		assertThatIllegalStateException()
			.isThrownBy(() -> client.mutateWith(MtlsWebTestClient.certificate(ca.client("alice"))))
			.withMessageContaining("TestCertificate.sslBundle()");
	}

}
