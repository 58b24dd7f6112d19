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
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client certificates forwarded by a trusted proxy in Envoy's
 * {@code x-forwarded-client-cert}: the proxy's own certificate ({@code CN=proxy}) makes
 * it trusted, the forwarded chain is validated and becomes the caller, and a header from
 * anyone else never names anyone.
 */
abstract class ForwardedCertificatesSuite extends ServerSuite {

	private static final String XFCC = "x-forwarded-client-cert";

	SSLContext proxy;

	SSLContext bob;

	ForwardedCertificatesSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.proxy = ca.client("proxy").sslBundle().createSslContext();
		this.bob = ca.client("bob").sslBundle().createSslContext();
		ca.writeCrl();
		return ca.writeServiceProperties("mtls.revocation.crls=" + ca.fileLocation("ca.crl"),
				"mtls.server.client-auth=want", "mtls.forwarded.enabled=true", "mtls.forwarded.format=xfcc",
				"mtls.forwarded.trusted-proxies.identities=cn:proxy", "mtls.authorization.rules[0].paths=/public/**",
				"mtls.authorization.rules[0].permit-all=true");
	}

	@Test
	void requestWhenTrustedProxyForwardsChainThenCallerIsForwardedClientAndCounted() throws IOException {
		double forwarded = count("mtls.forwarded", "outcome", "forwarded");

		Response response = forward(this.proxy, "/whoami", xfcc(this.ca.client("alice")));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("alice");
		assertThat(count("mtls.forwarded", "outcome", "forwarded")).isEqualTo(forwarded + 1);
	}

	@Test
	void requestWhenOtherClientForgesHeaderThenCallerIsItselfAndCounted(CapturedOutput output) throws IOException {
		double untrusted = count("mtls.forwarded", "outcome", "untrusted-source");

		Response response = forward(this.bob, "/whoami", xfcc(this.ca.client("alice")));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("bob");
		assertThat(count("mtls.forwarded", "outcome", "untrusted-source")).isEqualTo(untrusted + 1);
		assertThat(output).contains("the peer is not a trusted proxy");
	}

	@Test
	void requestWhenClientWithoutCertificateForgesHeaderThenUnauthorized() throws IOException {
		assertThat(forward(withoutCertificate(), "/whoami", xfcc(this.ca.client("alice"))).status()).isEqualTo(401);
	}

	@Test
	void requestWhenTrustedProxyForwardsNothingThenNotAuthenticatedAsProxy() throws IOException {
		Response permitted = forward(this.proxy, "/public/x", null);

		assertThat(forward(this.proxy, "/whoami", null).status()).isEqualTo(401);
		assertThat(permitted.status()).isEqualTo(200);
		assertThat(permitted.body()).isEqualTo("anonymous");
	}

	@Test
	void requestWhenTrustedProxySendsHashOnlyElementThenBadRequest() throws IOException {
		TestCertificate alice = this.ca.client("alice");

		Response response = forward(this.proxy, "/public/x", "By=spiffe://acme.org/edge;Hash="
				+ CertificateFingerprint.sha256(alice.getCertificate()) + ";Subject=\"/CN=alice\"");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).startsWith("Malformed forwarded client certificate: x-forwarded-client-cert: "
				+ "the element has no Cert or Chain");
	}

	@Test
	void requestWhenForwardedCertificateRevokedOrUntrustedThenUnauthorized() throws IOException {
		TestCertificate dave = this.ca.client("dave");
		TestCertificate mallory = this.ca.client((spec) -> spec.commonName("mallory").untrusted());
		assertThat(forward(this.proxy, "/whoami", xfcc(dave)).status()).isEqualTo(200);

		this.ca.revoke(dave);
		this.ca.writeCrl();
		this.service.context().getBean(MtlsTlsMaterial.class).reload();

		assertThat(forward(this.proxy, "/whoami", xfcc(dave)).status()).isEqualTo(401);
		assertThat(forward(this.proxy, "/whoami", xfcc(mallory)).status()).isEqualTo(401);
	}

	private Response forward(SSLContext client, String path, @Nullable String xfcc) throws IOException {
		List<String> headers = (xfcc != null) ? List.of(XFCC + ": " + xfcc) : List.of();
		return Response.parse(TlsProbe.request(client, this.service.port(), "GET", path, headers, (socket) -> {
		}));
	}

	// As Envoy writes it with set_current_client_cert_details cert and chain.
	private static String xfcc(TestCertificate client) {
		String chain = URLEncoder.encode(client.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20");
		return "By=spiffe://acme.org/ns/edge/sa/envoy;Hash=" + CertificateFingerprint.sha256(client.getCertificate())
				+ ";Chain=\"" + chain + "\";Subject=\"" + client.getCertificate().getSubjectX500Principal().getName()
				+ "\"";
	}

}
