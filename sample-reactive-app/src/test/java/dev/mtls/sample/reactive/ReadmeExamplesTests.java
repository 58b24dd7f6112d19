package dev.mtls.sample.reactive;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.mtls.boot.test.MtlsWebTestClient.certificate;

/**
 * The README's curl examples against the reactive sample, as WebTestClient requests
 * presenting the personas the README names (alice, bob and the checkout workload) through
 * the starter's real authentication and the sample's {@code mtls.authorization} rules.
 * The personas come from a test CA instead of dev mode, so the issuer differs from the
 * README's {@code CN=mtls dev CA}.
 */
@SpringBootTest
@AutoConfigureWebTestClient
@AutoConfigureTestCertificates
class ReadmeExamplesTests {

	private static final String CHECKOUT_SPIFFE_ID = "spiffe://sample.mtls.dev/ns/shop/sa/checkout";

	@Autowired
	WebTestClient client;

	@Autowired
	TestCertificates certificates;

	// curl ... --cert $D/alice.crt --key $D/alice.key https://localhost:8444/hello
	@Test
	void helloWhenAliceThenGreetsAliceWithSubjectAndIssuer() {
		TestCertificate alice = this.certificates.client("alice");

		this.client.mutateWith(certificate(alice))
			.get()
			.uri("/hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"hello":"alice","subject":"CN=alice","issuer":"%s"}""".formatted(issuer(alice)),
					JsonCompareMode.STRICT);
	}

	// curl --cacert $D/ca.crt https://localhost:8444/hello: without TLS there is no
	// handshake to refuse, and the starter answers 401 (ReactiveSampleApplicationTlsTests
	// checks the handshake).
	@Test
	void helloWhenNoCertificateThenUnauthorized() {
		this.client.get().uri("/hello").exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	// c alice https://localhost:8444/admin/status # 200
	@Test
	void adminStatusWhenAliceThenOk() {
		this.client.mutateWith(certificate(this.certificates.client("alice")))
			.get()
			.uri("/admin/status")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"status":"all good","admin":"alice"}""", JsonCompareMode.STRICT);
	}

	// c bob https://localhost:8444/admin/status # 403
	@Test
	void adminStatusWhenBobThenForbidden() {
		this.client.mutateWith(certificate(this.certificates.client("bob")))
			.get()
			.uri("/admin/status")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.FORBIDDEN);
	}

	// c checkout -X POST https://localhost:8444/orders # 200
	@Test
	void postOrdersWhenCheckoutWorkloadThenOk() {
		TestCertificate checkout = this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId(CHECKOUT_SPIFFE_ID));

		this.client.mutateWith(certificate(checkout))
			.post()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"order":"accepted","placedBy":"checkout"}""", JsonCompareMode.STRICT);
	}

	// c bob -X POST https://localhost:8444/orders # 403
	@Test
	void postOrdersWhenBobThenForbidden() {
		this.client.mutateWith(certificate(this.certificates.client("bob")))
			.post()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.FORBIDDEN);
	}

	// c bob https://localhost:8444/orders # 200 (no rule matches GET: default
	// authenticated)
	@Test
	void getOrdersWhenBobThenOk() {
		this.client.mutateWith(certificate(this.certificates.client("bob")))
			.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"orders":0}""", JsonCompareMode.STRICT);
	}

	private static String issuer(TestCertificate certificate) {
		return certificate.getCertificate().getIssuerX500Principal().getName();
	}

}
