package dev.mtls.boot.test;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Personas over real TLS to the server on a random port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureTestCertificates
@ExtendWith(OutputCaptureExtension.class)
class RandomPortPersonaTests {

	@Autowired
	TestCertificates certificates;

	@Test
	void aliceWithRestClient() {
		assertThat(this.certificates.client("alice").restClient().get().uri("/admin").retrieve().body(String.class))
			.isEqualTo("alice");
	}

	@Test
	void bobWithRestTestClient() {
		this.certificates.client("bob")
			.restTestClient()
			.get()
			.uri("/admin")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.FORBIDDEN);
	}

	@Test
	void refusedPersonasFailTheHandshake() {
		assertRefused(this.certificates.client((spec) -> spec.commonName("alice").expired()));
		assertRefused(this.certificates.client((spec) -> spec.commonName("alice").untrusted()));
	}

	@Test
	void untrustedPersonaReachesTheServersValidation(CapturedOutput output) {
		TestCertificate untrusted = this.certificates.client((spec) -> spec.commonName("mallory").untrusted());
		assertRefused(untrusted);
		assertThat(output.getAll()).contains("Refused client certificate: certificate 'CN=mallory'")
			.contains("CN=mtls Untrusted Test CA");
	}

	@Test
	void clientWithoutCertificateIsRefused() {
		assertRefusedInHandshake(this.certificates.restClientWithoutCertificate());
	}

	@Test
	void revokedPersonaIsRefusedAtOnce() {
		TestCertificate alice = this.certificates.client("alice");
		assertThat(alice.restClient().get().uri("/admin").retrieve().body(String.class)).isEqualTo("alice");
		this.certificates.revoke(alice);
		assertRefused(alice);
	}

	private void assertRefused(TestCertificate persona) {
		assertRefusedInHandshake(persona.restClient());
	}

	// A refused handshake, not an HTTP answer such as 401 (also a RestClientException).
	private static void assertRefusedInHandshake(RestClient client) {
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> client.get().uri("/admin").retrieve().body(String.class))
			.withRootCauseInstanceOf(SSLHandshakeException.class);
	}

}
