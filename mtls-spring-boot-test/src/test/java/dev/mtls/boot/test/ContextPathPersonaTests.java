package dev.mtls.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persona clients are bound to the server under test with its context path, whichever way
 * the persona was made.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.servlet.context-path=/api")
@AutoConfigureTestCertificates
class ContextPathPersonaTests {

	@Autowired
	TestCertificates certificates;

	@Test
	void restClientWhenContextPathThenPathsAreRelativeToIt() {
		assertThat(this.certificates.client("alice").restClient().get().uri("/admin").retrieve().body(String.class))
			.isEqualTo("alice");
	}

	@Test
	void restClientWhenPersonaAdoptedOrServerThenBoundToTheServerToo() {
		TestCertificateAuthority authority = this.certificates.getAuthority();
		TestCertificate adopted = authority
			.adopt(authority.getIssuingAuthority().certificate("alice").organization("Acme").clientAuth().issue());

		assertThat(adopted.restClient().get().uri("/admin").retrieve().body(String.class)).isEqualTo("alice");
		assertThat(this.certificates.getServerCertificate()
			.restClient()
			.get()
			.uri("/whoami")
			.retrieve()
			.body(String.class)).isEqualTo("localhost");
	}

}
