package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificates forwarded by a trusted proxy to a separate management server
 * ({@code management.server.port}): there too the forwarded certificate is the caller,
 * never the proxy's own, and a header from anyone else names no one.
 */
abstract class ForwardedManagementPortSuite extends ServerSuite {

	private static final String XFCC = "x-forwarded-client-cert";

	SSLContext proxy;

	SSLContext bob;

	TestCertificate ops;

	TestCertificate alice;

	ForwardedManagementPortSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.proxy = ca.client("proxy").sslBundle().createSslContext();
		this.bob = ca.client("bob").sslBundle().createSslContext();
		this.ops = ca.client("ops");
		this.alice = ca.client("alice");
		// The proxy itself may see the details: a client behind it must not borrow that.
		return ca.writeServiceProperties("mtls.management.client-auth=need", "management.server.port=0",
				"management.server.address=127.0.0.1", "management.endpoints.web.exposure.include=health,mtls",
				"mtls.management.roles=cn:ops,cn:proxy", "mtls.forwarded.enabled=true", "mtls.forwarded.format=xfcc",
				"mtls.forwarded.trusted-proxies.identities=cn:proxy");
	}

	@Test
	void mtlsEndpointWhenProxyForwardsCallerInRolesThenDetailsShown() throws IOException {
		Response response = management(this.proxy, xfcc(this.ops));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"peers\":[");
	}

	@Test
	void mtlsEndpointWhenProxyForwardsCallerNotInRolesThenSummaryOnly() throws IOException {
		Response response = management(this.proxy, xfcc(this.alice));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"identity\":{").doesNotContain("\"peers\"");
	}

	@Test
	void mtlsEndpointWhenOtherClientForgesHeaderThenCallerIsItself() throws IOException {
		Response response = management(this.bob, xfcc(this.ops));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"identity\":{").doesNotContain("\"peers\"");
	}

	private Response management(SSLContext client, String xfcc) throws IOException {
		return Response.parse(TlsProbe.request(client, managementPort(), "GET", "/actuator/mtls",
				List.of(XFCC + ": " + xfcc), (socket) -> {
				}));
	}

	private static String xfcc(TestCertificate client) {
		String chain = URLEncoder.encode(client.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20");
		return "By=spiffe://acme.org/ns/edge/sa/envoy;Chain=\"" + chain + "\"";
	}

	private int managementPort() {
		return this.service.context().getEnvironment().getRequiredProperty("local.management.port", Integer.class);
	}

}
