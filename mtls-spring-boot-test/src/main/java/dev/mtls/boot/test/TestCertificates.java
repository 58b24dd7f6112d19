package dev.mtls.boot.test;

import java.util.function.Consumer;

import dev.mtls.boot.tls.MtlsTlsMaterial;

import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.client.RestClient;

/**
 * The test CA of a Spring test context, as a bean: mints client personas whose
 * certificates the context's server trusts, and revokes them with immediate effect. Added
 * by {@link AutoConfigureTestCertificates @AutoConfigureTestCertificates}.
 *
 * <pre class="code">
 * &#064;Autowired
 * TestCertificates certificates;
 *
 * &#064;Test
 * void adminNeedsAlice() throws Exception {
 *     TestCertificate alice = certificates.client("alice");
 *     mvc.perform(get("/admin").with(MtlsMockMvc.certificate(alice))).andExpect(status().isOk());
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class TestCertificates {

	private final TestCertificateAuthority authority;

	private final ApplicationContext context;

	TestCertificates(TestCertificateAuthority authority, ApplicationContext context) {
		this.authority = authority;
		this.context = context;
	}

	/**
	 * Issue a client certificate with the given common name.
	 * @param commonName the common name
	 * @return the persona
	 */
	public TestCertificate client(String commonName) {
		return client((spec) -> spec.commonName(commonName));
	}

	/**
	 * Issue a certificate as the spec describes.
	 * @param spec customizes the certificate
	 * @return the persona
	 */
	public TestCertificate client(Consumer<TestCertificateSpec> spec) {
		return this.authority.client(spec);
	}

	/**
	 * Revoke a certificate with immediate effect: the test CA's CRL lists it, the
	 * context's material is reloaded, and TLS sessions are ended, so the next request and
	 * the next handshake presenting it are refused.
	 * @param certificate a certificate of this context's test CA
	 */
	public void revoke(TestCertificate certificate) {
		this.authority.revoke(certificate);
		MtlsTlsMaterial material = this.context.getBeanProvider(MtlsTlsMaterial.class).getIfAvailable();
		if (material != null && !material.reload()) {
			throw new IllegalStateException("The test CA's new CRL was not loaded: " + material.getLastReloadFailure());
		}
	}

	/**
	 * Return a {@link RestClient} bound to the server under test that presents no
	 * certificate and trusts the test CA: with {@code mtls.server.client-auth=need} its
	 * handshake is refused, with {@code want} or {@code none} requests are anonymous.
	 * @return the client
	 */
	public RestClient restClientWithoutCertificate() {
		return ServerClients.restClient(ServerClients.requireServerUrl(this.authority.serverUrl(),
				"TestCertificates.restClientWithoutCertificate()"), this.authority.trustOnlySslBundle());
	}

	/**
	 * Return a {@link RestTestClient} bound to the server under test that presents no
	 * certificate and trusts the test CA.
	 * @return the client
	 */
	public RestTestClient restTestClientWithoutCertificate() {
		return ServerClients.restTestClient(ServerClients.requireServerUrl(this.authority.serverUrl(),
				"TestCertificates.restTestClientWithoutCertificate()"), this.authority.trustOnlySslBundle());
	}

	/**
	 * Return the server certificate the context's server presents.
	 * @return the server certificate
	 */
	public TestCertificate getServerCertificate() {
		return this.authority.getServerCertificate();
	}

	/**
	 * Return the test CA itself, for its trust anchor, CRL or files.
	 * @return the CA
	 */
	public TestCertificateAuthority getAuthority() {
		return this.authority;
	}

}
