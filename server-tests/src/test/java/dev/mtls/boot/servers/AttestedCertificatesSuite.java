package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.identity.CertificateFingerprint;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XFCC elements that describe the client's certificate without carrying it, as Istio
 * sends them by default, where the trusted proxy's verification is trusted
 * ({@code mtls.forwarded.trust-proxy-verification}): what the proxy says names the caller
 * and meets the rules; from anyone else it names no one.
 */
abstract class AttestedCertificatesSuite extends ServerSuite {

	private static final String XFCC = "x-forwarded-client-cert";

	private static final String ALICE = "spiffe://acme.org/ns/shop/sa/alice";

	private static final String ADMIN = "spiffe://acme.org/ns/ops/sa/admin";

	SSLContext proxy;

	TestCertificate bob;

	AttestedCertificatesSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.proxy = ca.client((spec) -> spec.commonName("proxy").spiffeId("spiffe://acme.org/ns/edge/sa/envoy"))
			.sslBundle()
			.createSslContext();
		this.bob = ca.client((spec) -> spec.commonName("bob").spiffeId("spiffe://acme.org/ns/shop/sa/bob"));
		return ca.writeServiceProperties("mtls.server.client-auth=want", "mtls.principal.name=spiffe-id",
				"mtls.forwarded.enabled=true", "mtls.forwarded.format=xfcc",
				"mtls.forwarded.trust-proxy-verification=true", "mtls.forwarded.trusted-proxies.identities=cn:proxy",
				"mtls.authorization.rules[0].paths=/admin/**", "mtls.authorization.rules[0].allow=" + ADMIN,
				"mtls.authorization.rules[1].paths=/public/**", "mtls.authorization.rules[1].permit-all=true");
	}

	@Test
	void requestWhenTrustedProxyAttestsSpiffeIdThenCallerIsItAndCounted() throws IOException {
		double attested = count("mtls.forwarded", "outcome", "attested");

		Response response = forward(this.proxy, "/whoami", istio(ALICE));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(ALICE);
		assertThat(count("mtls.forwarded", "outcome", "attested")).isEqualTo(attested + 1);
	}

	@Test
	void requestWhenAttestedIdentityMeetsOrFailsRuleThenAllowedOrForbidden() throws IOException {
		assertThat(forward(this.proxy, "/admin/x", istio(ADMIN)).status()).isEqualTo(200);
		assertThat(forward(this.proxy, "/admin/x", istio(ALICE)).status()).isEqualTo(403);
	}

	@Test
	void requestWhenAttestationNamesNoSpiffeIdThenUnauthorized() throws IOException {
		String element = "By=spiffe://acme.org/ns/edge/sa/envoy;Hash=" + "ab".repeat(32)
				+ ";Subject=\"CN=alice\";DNS=alice.example";

		assertThat(forward(this.proxy, "/whoami", element).status()).isEqualTo(401);
	}

	@Test
	void requestWhenDirectClientSendsAttestationThenCallerIsItself() throws IOException {
		Response response = forward(this.bob.sslBundle().createSslContext(), "/admin/x", istio(ADMIN));

		assertThat(response.status()).isEqualTo(403);
		assertThat(forward(this.bob.sslBundle().createSslContext(), "/whoami", istio(ADMIN)).body())
			.isEqualTo("spiffe://acme.org/ns/shop/sa/bob");
	}

	@Test
	void requestWhenClientWithoutCertificateSendsAttestationThenUnauthorized() throws IOException {
		assertThat(forward(withoutCertificate(), "/whoami", istio(ADMIN)).status()).isEqualTo(401);
	}

	@Test
	void requestWhenAttestationHasNoHashThenBadRequest() throws IOException {
		Response response = forward(this.proxy, "/public/x", "By=spiffe://acme.org/edge;Subject=\"\";URI=" + ADMIN);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("the element has no Cert, Chain or Hash");
	}

	@Test
	void requestWhenTrustedProxyForwardsUntrustedCertificateClaimingAdminThenStillValidatedAndRefused()
			throws IOException {
		TestCertificate mallory = this.ca.client((spec) -> spec.commonName("mallory").spiffeId(ADMIN).untrusted());
		String element = "By=spiffe://acme.org/edge;Hash=" + CertificateFingerprint.sha256(mallory.getCertificate())
				+ ";Cert=\""
				+ URLEncoder.encode(mallory.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20")
				+ "\";Subject=\"\";URI=" + ADMIN;

		assertThat(forward(this.proxy, "/admin/x", element).status()).isEqualTo(401);
	}

	private Response forward(SSLContext client, String path, String xfcc) throws IOException {
		return Response
			.parse(TlsProbe.request(client, this.service.port(), "GET", path, List.of(XFCC + ": " + xfcc), (socket) -> {
			}));
	}

	// As Istio's sidecar writes it by default: no Cert, an empty subject, the SPIFFE ID.
	private static String istio(String spiffeId) {
		return "By=spiffe://acme.org/ns/edge/sa/envoy;Hash=" + "0123456789abcdef".repeat(4) + ";Subject=\"\";URI="
				+ spiffeId;
	}

}
