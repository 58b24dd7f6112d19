package dev.mtls.sample;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.mtls.boot.test.MtlsMockMvc.certificate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's curl examples against the sample, as MockMvc requests presenting the
 * personas the README names (alice, bob and the checkout workload) through the starter's
 * real authentication and the sample's {@code mtls.authorization} rules. The personas
 * come from a test CA instead of dev mode, so the issuer differs from the README's
 * {@code CN=mtls dev CA}.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureTestCertificates
class ReadmeExamplesTests {

	private static final String CHECKOUT_SPIFFE_ID = "spiffe://sample.mtls.dev/ns/shop/sa/checkout";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	TestCertificates certificates;

	// curl ... --cert $D/alice.crt --key $D/alice.key https://localhost:8443/hello
	@Test
	void helloWhenAliceThenGreetsAliceWithSubjectAndIssuer() {
		TestCertificate alice = this.certificates.client("alice");

		assertThat(this.mvc.get().uri("/hello").with(certificate(alice))).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"hello":"alice","subject":"CN=alice","issuer":"%s"}""".formatted(issuer(alice)));
	}

	// curl --cacert $D/ca.crt https://localhost:8443/hello: without TLS there is no
	// handshake to refuse, and the starter answers 401 (SampleApplicationTlsTests
	// checks the handshake).
	@Test
	void helloWhenNoCertificateThenUnauthorized() {
		assertThat(this.mvc.get().uri("/hello")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	// c alice https://localhost:8443/admin/status # 200
	@Test
	void adminStatusWhenAliceThenOk() {
		assertThat(this.mvc.get().uri("/admin/status").with(certificate(this.certificates.client("alice"))))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"status":"all good","admin":"alice"}""");
	}

	// c bob https://localhost:8443/admin/status # 403
	@Test
	void adminStatusWhenBobThenForbidden() {
		assertThat(this.mvc.get().uri("/admin/status").with(certificate(this.certificates.client("bob"))))
			.hasStatus(HttpStatus.FORBIDDEN);
	}

	// c checkout -X POST https://localhost:8443/orders # 200
	@Test
	void postOrdersWhenCheckoutWorkloadThenOk() {
		TestCertificate checkout = this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId(CHECKOUT_SPIFFE_ID));

		assertThat(this.mvc.post().uri("/orders").with(certificate(checkout))).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"order":"accepted","placedBy":"checkout"}""");
	}

	// c bob -X POST https://localhost:8443/orders # 403
	@Test
	void postOrdersWhenBobThenForbidden() {
		assertThat(this.mvc.post().uri("/orders").with(certificate(this.certificates.client("bob"))))
			.hasStatus(HttpStatus.FORBIDDEN);
	}

	// c bob https://localhost:8443/orders # 200 (no rule matches GET: default
	// authenticated)
	@Test
	void getOrdersWhenBobThenOk() {
		assertThat(this.mvc.get().uri("/orders").with(certificate(this.certificates.client("bob")))).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"orders":0}""");
	}

	private static String issuer(TestCertificate certificate) {
		return certificate.getCertificate().getIssuerX500Principal().getName();
	}

}
