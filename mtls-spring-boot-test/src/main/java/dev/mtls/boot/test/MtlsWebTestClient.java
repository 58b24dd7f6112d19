package dev.mtls.boot.test;

import java.security.cert.X509Certificate;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClientConfigurer;
import org.springframework.util.Assert;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * WebTestClient requests that present a client certificate where a WebFlux server would:
 * as the request's {@link SslInfo}. The starter's authentication, policy and revocation
 * checks and {@code mtls.authorization} rules run as they do in production, so a test
 * sees the same 200, 401 and 403 answers; only the TLS handshake itself is skipped. The
 * WebFlux counterpart of {@link MtlsMockMvc}, for clients bound to an application context
 * (as {@code @WebFluxTest} and {@code @AutoConfigureWebTestClient} give them, or
 * {@code WebTestClient.bindToApplicationContext}).
 *
 * <pre class="code">
 * client.mutateWith(MtlsWebTestClient.certificate(certificates.client("bob")))
 *     .get().uri("/admin").exchange()
 *     .expectStatus().isForbidden();
 * </pre>
 *
 * @since 0.1.0
 */
public final class MtlsWebTestClient {

	private MtlsWebTestClient() {
	}

	/**
	 * Present a persona's certificate chain.
	 * @param certificate the persona
	 * @return the configurer, for {@link WebTestClient#mutateWith}
	 */
	public static WebTestClientConfigurer certificate(TestCertificate certificate) {
		return chain(certificate.getChain());
	}

	/**
	 * Present any certificate chain, leaf first.
	 * @param chain the chain
	 * @return the configurer, for {@link WebTestClient#mutateWith}
	 */
	public static WebTestClientConfigurer chain(List<X509Certificate> chain) {
		Assert.notEmpty(chain, "'chain' must not be empty");
		X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
		return new CertificateConfigurer(certificates);
	}

	/**
	 * Adds, ahead of every other filter, one that sets the request's {@link SslInfo}.
	 */
	private record CertificateConfigurer(X509Certificate[] certificates) implements WebTestClientConfigurer {

		@Override
		public void afterConfigurerAdded(WebTestClient.Builder builder,
				@Nullable WebHttpHandlerBuilder httpHandlerBuilder, @Nullable ClientHttpConnector connector) {
			Assert.state(httpHandlerBuilder != null,
					"MtlsWebTestClient presents a certificate to a WebTestClient bound to an application context or "
							+ "a handler; a client of a running server presents one in its TLS handshake "
							+ "(TestCertificate.sslBundle())");
			X509Certificate[] certificates = this.certificates;
			WebFilter presenter = (exchange,
					chain) -> chain.filter(exchange.mutate()
						.request((request) -> request.sslInfo(SslInfo.from("mtls-test", certificates.clone())))
						.build());
			httpHandlerBuilder.filters((filters) -> filters.add(0, presenter));
		}

	}

}
