package dev.mtls.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

import static dev.mtls.boot.test.MtlsMockMvc.certificate;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A {@code @WebMvcTest} slice gets the starter's authentication and rules from the
 * annotation.
 */
@WebMvcTest(PersonaTestApp.class)
@AutoConfigureTestCertificates
class WebMvcTestSliceTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestCertificates certificates;

	@Test
	void rulesApplyInTheSlice() throws Exception {
		this.mvc.perform(get("/admin").with(certificate(this.certificates.client("alice"))))
			.andExpect(status().isOk())
			.andExpect(content().string("alice"));
		this.mvc.perform(get("/admin").with(certificate(this.certificates.client("bob"))))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin")).andExpect(status().isUnauthorized());
		this.mvc
			.perform(get("/admin")
				.with(certificate(this.certificates.client((spec) -> spec.commonName("alice").untrusted()))))
			.andExpect(status().isUnauthorized());
	}

}
