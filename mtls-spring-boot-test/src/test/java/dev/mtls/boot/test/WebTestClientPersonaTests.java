package dev.mtls.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every persona through a WebTestClient bound to a WebFlux application and the starter's
 * real authentication, policy, revocation and rules, as {@link MockMvcPersonaTests} does
 * on a servlet stack.
 */
@SpringBootTest(properties = "spring.main.web-application-type=reactive")
@AutoConfigureWebTestClient
@AutoConfigureTestCertificates
class WebTestClientPersonaTests {

	@Autowired
	WebTestClient client;

	@Autowired
	TestCertificates certificates;

	private WebTestClient as(TestCertificate persona) {
		return this.client.mutateWith(MtlsWebTestClient.certificate(persona));
	}

	@Test
	void aliceMayCallAdmin() {
		as(this.certificates.client("alice")).get()
			.uri("/admin")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice");
	}

	@Test
	void bobIsForbidden() {
		as(this.certificates.client("bob")).get().uri("/admin").exchange().expectStatus().isForbidden();
	}

	@Test
	void noCertificateIsUnauthorized() {
		this.client.get().uri("/admin").exchange().expectStatus().isUnauthorized();
		this.client.get()
			.uri("/public")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("anonymous");
	}

	@Test
	void spiffeWorkloadAllowedByPattern() {
		TestCertificate checkout = this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
		as(checkout).post()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("ordered by checkout");
		as(this.certificates.client("alice")).post().uri("/orders").exchange().expectStatus().isForbidden();
	}

	@Test
	void refusedPersonasAreUnauthorized() {
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").expired()));
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").notYetValid()));
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").untrusted()));
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").withoutClientAuthUsage()));
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").rsa(1024)));
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").sha1()));
		assertUnauthorized(this.certificates.client((spec) -> spec.commonName("alice").caCertificate()));
		assertUnauthorized(this.certificates.client((spec) -> spec.spiffeId("spiffe://acme.org/ns/shop/sa/x")));
	}

	@Test
	void revokedPersonaIsRefusedAtOnce() {
		TestCertificate alice = this.certificates.client("alice");
		as(alice).get().uri("/admin").exchange().expectStatus().isOk();
		this.certificates.revoke(alice);
		assertUnauthorized(alice);
	}

	private void assertUnauthorized(TestCertificate persona) {
		as(persona).get().uri("/admin").exchange().expectStatus().isUnauthorized();
	}

}
