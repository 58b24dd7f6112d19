package dev.mtls.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A {@code @WebFluxTest} slice gets the starter's authentication and rules from the
 * annotation.
 */
@WebFluxTest(PersonaTestApp.class)
@AutoConfigureTestCertificates
class WebFluxTestSliceTests {

	@Autowired
	WebTestClient client;

	@Autowired
	TestCertificates certificates;

	@Test
	void rulesApplyInTheSlice() {
		this.client.mutateWith(MtlsWebTestClient.certificate(this.certificates.client("alice")))
			.get()
			.uri("/admin")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice");
		this.client.mutateWith(MtlsWebTestClient.certificate(this.certificates.client("bob")))
			.get()
			.uri("/admin")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.get().uri("/admin").exchange().expectStatus().isUnauthorized();
		this.client
			.mutateWith(MtlsWebTestClient
				.certificate(this.certificates.client((spec) -> spec.commonName("alice").untrusted())))
			.get()
			.uri("/admin")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

}
