package dev.mtls.boot.security.servlet;

import java.nio.file.Files;

import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The rules with Spring Security's MockMvc {@code x509()} support, as users test their
 * controllers without a TLS handshake.
 */
@SpringBootTest(classes = RulesTestApp.class,
		properties = { "mtls.authorization.rules[0].paths=/admin/**", "mtls.authorization.rules[0].allow=CN=alice",
				"mtls.authorization.rules[1].paths=/orders/**", "mtls.authorization.rules[1].methods=POST",
				"mtls.authorization.rules[1].allow=spiffe://acme.org/ns/shop/sa/checkout" })
class MtlsMockMvcTests {

	static TestPki pki;

	@Autowired
	WebApplicationContext context;

	MockMvc mvc;

	@DynamicPropertySource
	static void pki(DynamicPropertyRegistry registry) throws Exception {
		pki = new TestPki(Files.createTempDirectory("mtls-mockmvc"));
		for (String property : pki.serviceProperties()) {
			String[] pair = property.split("=", 2);
			registry.add(pair[0], () -> pair[1]);
		}
	}

	@BeforeEach
	void mockMvc() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
	}

	@Test
	void requestWhenX509ThenRulesApplied() throws Exception {
		IssuedCertificate checkout = pki.ca()
			.certificate("checkout")
			.uris("spiffe://acme.org/ns/shop/sa/checkout")
			.clientAuth()
			.issue();

		this.mvc.perform(get("/admin/x").with(x509(pki.alice().getCertificate())))
			.andExpect(status().isOk())
			.andExpect(content().string("alice"));
		this.mvc.perform(get("/admin/x").with(x509(checkout.getCertificate()))).andExpect(status().isForbidden());
		this.mvc.perform(post("/orders/1").with(x509(checkout.getCertificate()))).andExpect(status().isOk());
		this.mvc.perform(post("/orders/1").with(x509(pki.alice().getCertificate()))).andExpect(status().isForbidden());
		this.mvc.perform(get("/whoami")).andExpect(status().isUnauthorized());
	}

}
