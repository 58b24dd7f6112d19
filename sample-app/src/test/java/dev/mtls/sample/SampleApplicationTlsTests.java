package dev.mtls.sample;

import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample on a random port over real TLS, called by personas of a test CA: the rules
 * answer 200 or 403, and certificates that are expired, untrusted, revoked or missing are
 * refused in the handshake, before any HTTP answer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureTestCertificates
class SampleApplicationTlsTests {

	@Autowired
	TestCertificates certificates;

	// README: curl ... --cert $D/alice.crt --key $D/alice.key
	// https://localhost:8443/hello
	@Test
	void helloWhenAliceThenGreetsAlice() {
		TestCertificate alice = this.certificates.client("alice");

		alice.restTestClient()
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

	// README: curl ... --cert $D/alice.crt --key $D/alice.key https://localhost:8443/call
	@Test
	void callWhenAliceThenSampleCallsItselfPresentingItsOwnCertificate() {
		TestCertificate server = this.certificates.getServerCertificate();

		this.certificates.client("alice")
			.restTestClient()
			.get()
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
		RestClient alice = this.certificates.client("alice").restClient();

		assertThat(alice.get().uri("/admin/status").retrieve().body(Map.class))
			.isEqualTo(Map.of("status", "all good", "admin", "alice"));
	}

	@Test
	void adminStatusWhenBobThenForbidden() {
		this.certificates.client("bob")
			.restTestClient()
			.get()
			.uri("/admin/status")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.FORBIDDEN);
	}

	// README: curl --cacert $D/ca.crt https://localhost:8443/hello
	@Test
	void helloWhenNoCertificateThenRefusedInHandshake() {
		assertRefusedInHandshake(this.certificates.restClientWithoutCertificate());
	}

	@Test
	void helloWhenExpiredThenRefusedInHandshake() {
		TestCertificate expired = this.certificates.client((spec) -> spec.commonName("alice").expired());

		assertRefusedInHandshake(expired.restClient());
	}

	@Test
	void helloWhenUntrustedThenRefusedInHandshake() {
		TestCertificate untrusted = this.certificates.client((spec) -> spec.commonName("alice").untrusted());

		assertRefusedInHandshake(untrusted.restClient());
	}

	@Test
	void helloWhenRevokedThenRefusedInHandshake() {
		TestCertificate alice = this.certificates.client("alice");
		assertThat(alice.restClient().get().uri("/hello").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.OK);

		this.certificates.revoke(alice);

		assertRefusedInHandshake(alice.restClient());
	}

	private static void assertRefusedInHandshake(RestClient client) {
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> client.get().uri("/hello").retrieve().toBodilessEntity())
			.withRootCauseInstanceOf(SSLHandshakeException.class);
	}

	private static String issuer(TestCertificate certificate) {
		return certificate.getCertificate().getIssuerX500Principal().getName();
	}

}
