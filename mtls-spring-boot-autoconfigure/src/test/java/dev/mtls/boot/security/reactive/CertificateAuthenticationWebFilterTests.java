package dev.mtls.boot.security.reactive;

import java.time.Duration;
import java.time.Instant;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.MtlsWebTestClient;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import dev.mtls.boot.testsupport.ReactiveRulesTestApp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CertificateAuthenticationWebFilter}: the request's {@code SslInfo}
 * chain authenticated by the starter's authenticator, named by
 * {@code mtls.principal.name}, re-checked against the current trust material on every
 * request.
 */
@SpringBootTest(classes = ReactiveRulesTestApp.class,
		properties = { "spring.main.web-application-type=reactive", "mtls.principal.name=spiffe-id",
				"mtls.authorization.rules[0].paths=/public/**", "mtls.authorization.rules[0].permit-all=true" })
@AutoConfigureTestCertificates
class CertificateAuthenticationWebFilterTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	TestCertificates certificates;

	WebTestClient client;

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToApplicationContext(this.context).build();
	}

	private WebTestClient.ResponseSpec get(TestCertificate certificate, String path) {
		return this.client.mutateWith(MtlsWebTestClient.certificate(certificate)).get().uri(path).exchange();
	}

	private TestCertificate checkout() {
		return this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
	}

	@Test
	void requestWhenPrincipalNameIsSpiffeIdThenPrincipalNamedBySpiffeId() {
		get(checkout(), "/whoami").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("spiffe://acme.org/ns/shop/sa/checkout");
	}

	@Test
	void requestWhenCertificateInItsLastQuarterThenNewConnectionAskedForElseNot() {
		// Valid 3 h: due from 45 min before its end (ConnectionRenewal).
		Instant now = Instant.now();
		TestCertificate ageing = this.certificates.client((spec) -> spec.spiffeId("spiffe://acme.org/ns/shop/sa/old")
			.validity(now.minus(Duration.ofMinutes(150)), now.plus(Duration.ofMinutes(30))));
		TestCertificate young = this.certificates.client((spec) -> spec.spiffeId("spiffe://acme.org/ns/shop/sa/new")
			.validity(now.minus(Duration.ofMinutes(120)), now.plus(Duration.ofMinutes(60))));

		// Twice: the first request builds the identity the authenticator caches, the
		// second reads it from the cache.
		for (int i = 0; i < 2; i++) {
			get(ageing, "/whoami").expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.CONNECTION, "close");
			get(young, "/whoami").expectStatus().isOk().expectHeader().doesNotExist(HttpHeaders.CONNECTION);
		}
	}

	@Test
	void requestWhenCertificateLacksPrincipalAttributeThenUnauthorizedButPermitAllServed() {
		TestCertificate alice = this.certificates.client("alice");

		get(alice, "/whoami").expectStatus().isUnauthorized();
		get(alice, "/public/x").expectStatus().isOk().expectBody(String.class).isEqualTo("anonymous");
	}

	@Test
	void requestWhenCertificateRevokedThenUnauthorizedCountedAndFailureEventPublished() {
		TestCertificate checkout = checkout();
		get(checkout, "/whoami").expectStatus().isOk();
		double before = count("mtls.authentication", "outcome", "failure", "reason", "revoked");

		this.certificates.revoke(checkout);

		get(checkout, "/whoami").expectStatus().isUnauthorized();
		assertThat(count("mtls.authentication", "outcome", "failure", "reason", "revoked")).isEqualTo(before + 1);
		assertThat(this.context.getBean(ReactiveRulesTestApp.Events.class).failures())
			.anySatisfy((event) -> assertThat(event).isInstanceOf(AuthenticationFailureBadCredentialsEvent.class)
				.satisfies((failure) -> assertThat(failure.getAuthentication().getName()).startsWith("CN=checkout")));
	}

	@Test
	void requestWhenCertificateExpiredThenUnauthorized() {
		TestCertificate expired = this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout").expired());

		get(expired, "/whoami").expectStatus().isUnauthorized();
	}

	@Test
	void requestWhenCertificateFromUntrustedCaThenUnauthorized() {
		TestCertificate untrusted = this.certificates.client(
				(spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout").untrusted());

		get(untrusted, "/whoami").expectStatus().isUnauthorized();
	}

	@Test
	void requestWhenNoCertificateThenPermitAllServedAnonymously() {
		this.client.get()
			.uri("/public/x")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("anonymous");
	}

	private double count(String name, String... tags) {
		Counter counter = this.context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
