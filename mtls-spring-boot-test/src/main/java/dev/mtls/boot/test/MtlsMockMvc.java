package dev.mtls.boot.test;

import java.security.cert.X509Certificate;
import java.util.List;

import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.Assert;

/**
 * MockMvc requests that present a client certificate where the server would: as the
 * servlet request attribute {@code jakarta.servlet.request.X509Certificate}, on a secure
 * request. The starter's authentication, policy and revocation checks and
 * {@code mtls.authorization} rules run as they do in production, so a test sees the same
 * 200, 401 and 403 answers; only the TLS handshake itself is skipped.
 *
 * <pre class="code">
 * mvc.perform(get("/admin").with(MtlsMockMvc.certificate(certificates.client("bob"))))
 *     .andExpect(status().isForbidden());
 * </pre>
 *
 * @since 0.1.0
 */
public final class MtlsMockMvc {

	private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private MtlsMockMvc() {
	}

	/**
	 * Present a persona's certificate chain.
	 * @param certificate the persona
	 * @return the post processor
	 */
	public static RequestPostProcessor certificate(TestCertificate certificate) {
		return chain(certificate.getChain());
	}

	/**
	 * Present any certificate chain, leaf first.
	 * @param chain the chain
	 * @return the post processor
	 */
	public static RequestPostProcessor chain(List<X509Certificate> chain) {
		Assert.notEmpty(chain, "'chain' must not be empty");
		X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
		return (request) -> {
			request.setAttribute(CERTIFICATE_ATTRIBUTE, certificates.clone());
			request.setSecure(true);
			request.setScheme("https");
			if (request.getServerPort() == 80) {
				request.setServerPort(443);
			}
			return request;
		};
	}

}
