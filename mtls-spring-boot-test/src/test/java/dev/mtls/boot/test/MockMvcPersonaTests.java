package dev.mtls.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static dev.mtls.boot.test.MtlsMockMvc.certificate;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every persona through MockMvc and the starter's real authentication, policy, revocation
 * and rules.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureTestCertificates
class MockMvcPersonaTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestCertificates certificates;

	@Test
	void aliceMayCallAdmin() throws Exception {
		this.mvc.perform(get("/admin").with(certificate(this.certificates.client("alice"))))
			.andExpect(status().isOk())
			.andExpect(content().string("alice"));
	}

	@Test
	void bobIsForbidden() throws Exception {
		this.mvc.perform(get("/admin").with(certificate(this.certificates.client("bob"))))
			.andExpect(status().isForbidden());
	}

	@Test
	void noCertificateIsUnauthorized() throws Exception {
		this.mvc.perform(get("/admin")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/public")).andExpect(status().isOk()).andExpect(content().string("anonymous"));
	}

	@Test
	void spiffeWorkloadAllowedByPattern() throws Exception {
		TestCertificate checkout = this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
		this.mvc.perform(post("/orders").with(certificate(checkout)))
			.andExpect(status().isOk())
			.andExpect(content().string("ordered by checkout"));
		this.mvc.perform(post("/orders").with(certificate(this.certificates.client("alice"))))
			.andExpect(status().isForbidden());
	}

	@Test
	void refusedPersonasAreUnauthorized() throws Exception {
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
	void revokedPersonaIsRefusedAtOnce() throws Exception {
		TestCertificate alice = this.certificates.client("alice");
		this.mvc.perform(get("/admin").with(certificate(alice))).andExpect(status().isOk());
		this.certificates.revoke(alice);
		assertUnauthorized(alice);
	}

	private void assertUnauthorized(TestCertificate persona) throws Exception {
		this.mvc.perform(get("/admin").with(certificate(persona))).andExpect(status().isUnauthorized());
	}

}
