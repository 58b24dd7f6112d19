package dev.mtls.boot.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

import static dev.mtls.boot.test.MtlsMockMvc.certificate;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A {@code @WebMvcTest} slice behind a trusted proxy: the slice reads forwarded
 * certificates as the application does, so the proxy's own certificate is not the caller.
 */
@WebMvcTest(controllers = PersonaTestApp.class,
		properties = { "mtls.forwarded.enabled=true", "mtls.forwarded.format=xfcc",
				"mtls.forwarded.trusted-proxies.identities=cn:envoy" })
@AutoConfigureTestCertificates
class WebMvcTestSliceForwardedTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TestCertificates certificates;

	@Test
	void forwardedCertificateIsTheCallerInTheSlice() throws Exception {
		TestCertificate envoy = this.certificates.client("envoy");
		// Envoy percent-encodes the PEM chain (leaf and issuing CA), a space as %20.
		String alice = URLEncoder.encode(this.certificates.client("alice").getCertificatePem(), StandardCharsets.UTF_8)
			.replace("+", "%20");

		this.mvc
			.perform(
					get("/admin").with(certificate(envoy)).header("x-forwarded-client-cert", "Chain=\"" + alice + "\""))
			.andExpect(status().isOk())
			.andExpect(content().string("alice"));
		this.mvc.perform(get("/whoami").with(certificate(envoy))).andExpect(status().isUnauthorized());
	}

}
