package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client certificates forwarded by a trusted proxy and issued by CAs of their own
 * ({@code mtls.forwarded.trust}): the forwarded chain is validated against that trust, on
 * the proxy's resolution and again on authentication, and the handshake's trust
 * ({@code mtls.trust}) no longer vouches for a forwarded chain.
 */
abstract class ForwardedTrustSuite extends ServerSuite {

	private static final String XFCC = "x-forwarded-client-cert";

	private static final TestCertificateAuthority edge = TestCertificateAuthority.create();

	SSLContext proxy;

	ForwardedTrustSuite(Server server) {
		super(server);
	}

	@AfterAll
	static void closeEdge() {
		edge.close();
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.proxy = ca.client("proxy").sslBundle().createSslContext();
		return ca.writeServiceProperties("mtls.server.client-auth=want", "mtls.forwarded.enabled=true",
				"mtls.forwarded.format=xfcc", "mtls.forwarded.trusted-proxies.identities=cn:proxy",
				"mtls.forwarded.trust.certificates="
						+ edge.fileLocation(edge.writeCaCertificate().getFileName().toString()));
	}

	@Test
	void requestWhenProxyForwardsClientOfForwardedTrustThenCallerIsThatClient() throws IOException {
		Response response = forward(edge.client("carol"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("carol");
	}

	@Test
	void requestWhenProxyForwardsClientOfHandshakeTrustOnlyThenUnauthorized() throws IOException {
		assertThat(forward(this.ca.client("dave")).status()).isEqualTo(401);
	}

	private Response forward(TestCertificate client) throws IOException {
		String chain = URLEncoder.encode(client.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20");
		List<String> headers = List.of(XFCC + ": By=spiffe://acme.org/ns/edge/sa/envoy;Chain=\"" + chain + "\"");
		return Response.parse(TlsProbe.request(this.proxy, this.service.port(), "GET", "/whoami", headers, (socket) -> {
		}));
	}

}
