package dev.mtls.boot.forwarded.reactive;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.MtlsWebTestClient;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import dev.mtls.boot.testsupport.ReactiveForwardedTestApp;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ForwardedCertificateWebFilter}: the proxy's chain presented as
 * {@code SslInfo}, the forwarded chain in a header, through the starter's reactive
 * security.
 */
@SpringBootTest(classes = ReactiveForwardedTestApp.class,
		properties = { "spring.main.web-application-type=reactive", "mtls.forwarded.enabled=true",
				"mtls.forwarded.format=header", "mtls.forwarded.header=ssl-client-cert",
				"mtls.forwarded.trusted-proxies.identities=cn:proxy", "mtls.authorization.rules[0].paths=/public/**",
				"mtls.authorization.rules[0].permit-all=true" })
@AutoConfigureTestCertificates
class ForwardedCertificateWebFilterTests {

	private static final String HEADER = "ssl-client-cert";

	@Autowired
	ApplicationContext context;

	@Autowired
	TestCertificates certificates;

	WebTestClient client;

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToApplicationContext(this.context).build();
	}

	@Test
	void requestWhenTrustedProxyForwardsCertificateThenCallerIsForwardedClient() {
		TestCertificate alice = this.certificates.client("alice");

		as(proxy()).get()
			.uri("/whoami")
			.header(HEADER, escaped(alice))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice via proxy, header seen");
	}

	@Test
	void requestWhenDirectClientForgesHeaderThenCallerIsItselfAndHeaderRemoved() {
		TestCertificate alice = this.certificates.client("alice");
		double before = count("untrusted-source");

		as(this.certificates.client("bob")).get()
			.uri("/whoami")
			.header(HEADER, escaped(alice))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("bob via direct");
		assertThat(count("untrusted-source")).isEqualTo(before + 1);
	}

	@Test
	void requestWhenClientWithoutCertificateForgesHeaderThenUnauthorized() {
		TestCertificate alice = this.certificates.client("alice");

		this.client.get().uri("/whoami").header(HEADER, escaped(alice)).exchange().expectStatus().isUnauthorized();
		this.client.get()
			.uri("/public/x")
			.header(HEADER, escaped(alice))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("anonymous via direct");
	}

	@Test
	void requestWhenTrustedProxyForwardsNothingThenNotAuthenticatedAsProxy() {
		as(proxy()).get().uri("/whoami").exchange().expectStatus().isUnauthorized();
		as(proxy()).get()
			.uri("/public/x")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("anonymous via proxy");
	}

	@Test
	void requestWhenTrustedProxyForwardsMalformedHeaderThenBadRequestAndCounted() {
		double before = count("malformed");

		as(proxy()).get()
			.uri("/public/x")
			.header(HEADER, "%ZZ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value((body) -> assertThat(body)
				.startsWith("Malformed forwarded client certificate: ssl-client-cert: " + "broken URL encoding"));
		assertThat(count("malformed")).isEqualTo(before + 1);
	}

	@Test
	void requestWhenForwardedCertificateRevokedThenUnauthorized() {
		TestCertificate dave = this.certificates.client("dave");
		as(proxy()).get().uri("/whoami").header(HEADER, escaped(dave)).exchange().expectStatus().isOk();

		this.certificates.revoke(dave);

		as(proxy()).get().uri("/whoami").header(HEADER, escaped(dave)).exchange().expectStatus().isUnauthorized();
	}

	private WebTestClient as(TestCertificate persona) {
		return this.client.mutateWith(MtlsWebTestClient.certificate(persona));
	}

	private TestCertificate proxy() {
		return this.certificates.client("proxy");
	}

	private double count(String outcome) {
		return this.context.getBean(MeterRegistry.class).counter("mtls.forwarded", "outcome", outcome).count();
	}

	private static String escaped(TestCertificate persona) {
		return URLEncoder.encode(persona.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20");
	}

}
