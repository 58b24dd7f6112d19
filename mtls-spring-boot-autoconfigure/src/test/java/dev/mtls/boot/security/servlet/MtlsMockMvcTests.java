package dev.mtls.boot.security.servlet;

import java.security.cert.X509Certificate;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.MtlsMockMvc;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import dev.mtls.boot.testsupport.RulesTestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static dev.mtls.boot.test.MtlsMockMvc.certificate;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The rules through MockMvc with {@link MtlsMockMvc}, as users test their controllers
 * without a TLS handshake: the starter's authentication, policy, revocation and rules
 * decide as they do over TLS.
 */
@SpringBootTest(classes = RulesTestApp.class,
		properties = { "mtls.authorization.rules[0].paths=/admin/**", "mtls.authorization.rules[0].allow=CN=alice",
				"mtls.authorization.rules[1].paths=/orders/**", "mtls.authorization.rules[1].methods=POST",
				"mtls.authorization.rules[1].allow=spiffe://acme.org/ns/shop/sa/checkout" })
@AutoConfigureTestCertificates
class MtlsMockMvcTests {

	@Autowired
	WebApplicationContext context;

	@Autowired
	TestCertificates certificates;

	MockMvc mvc;

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
	}

	@Test
	void requestWhenPersonaAllowedByRuleThenOk() throws Exception {
		this.mvc.perform(get("/admin/x").with(certificate(this.certificates.client("alice"))))
			.andExpect(status().isOk())
			.andExpect(content().string("alice"));
		this.mvc.perform(post("/orders/1").with(certificate(checkout())))
			.andExpect(status().isOk())
			.andExpect(content().string("created by checkout"));
	}

	@Test
	void requestWhenPersonaNotAllowedByRuleThenForbidden() throws Exception {
		this.mvc.perform(get("/admin/x").with(certificate(checkout()))).andExpect(status().isForbidden());
		this.mvc.perform(post("/orders/1").with(certificate(this.certificates.client("alice"))))
			.andExpect(status().isForbidden());
	}

	@Test
	void requestWhenNoCertificateThenUnauthorized() throws Exception {
		this.mvc.perform(get("/whoami")).andExpect(status().isUnauthorized());
	}

	@Test
	void requestWhenCertificateExpiredThenUnauthorized() throws Exception {
		TestCertificate expired = this.certificates.client((spec) -> spec.commonName("alice").expired());

		this.mvc.perform(get("/admin/x").with(certificate(expired))).andExpect(status().isUnauthorized());
	}

	@Test
	void requestWhenCertificateFromUntrustedCaThenUnauthorized() throws Exception {
		TestCertificate untrusted = this.certificates.client((spec) -> spec.commonName("alice").untrusted());

		this.mvc.perform(get("/admin/x").with(certificate(untrusted))).andExpect(status().isUnauthorized());
	}

	@Test
	void requestWhenCertificateRevokedThenUnauthorized() throws Exception {
		TestCertificate alice = this.certificates.client("alice");
		this.mvc.perform(get("/admin/x").with(certificate(alice))).andExpect(status().isOk());

		this.certificates.revoke(alice);

		this.mvc.perform(get("/admin/x").with(certificate(alice))).andExpect(status().isUnauthorized());
	}

	@Test
	void requestWhenSpringSecurityX509WithFullChainThenRulesApplied() throws Exception {
		X509Certificate[] alice = this.certificates.client("alice").getChain().toArray(X509Certificate[]::new);
		X509Certificate[] checkout = checkout().getChain().toArray(X509Certificate[]::new);

		this.mvc.perform(get("/admin/x").with(x509(alice)))
			.andExpect(status().isOk())
			.andExpect(content().string("alice"));
		this.mvc.perform(get("/admin/x").with(x509(checkout))).andExpect(status().isForbidden());
	}

	private TestCertificate checkout() {
		return this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
	}

}
