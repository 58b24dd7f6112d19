package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import dev.mtls.boot.servers.app.ServerTestApp;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.web.server.WebServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A separate management server ({@code management.server.port}) with
 * {@code mtls.management.client-auth=want}: probes get health without a certificate, a
 * presented certificate is checked by the starter's trust (a revoked one refused in the
 * handshake), and the main port still needs one.
 */
abstract class ManagementPortSuite extends ServerSuite {

	TestCertificate alice;

	TestCertificate revoked;

	TestCertificate ops;

	ManagementPortSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		this.revoked = ca.client("revoked");
		this.ops = ca.client("ops");
		ca.revoke(this.revoked);
		ca.writeCrl();
		return ca.writeServiceProperties("mtls.revocation.crls=" + ca.fileLocation("ca.crl"),
				"mtls.management.client-auth=want", "management.server.port=0", "management.server.address=127.0.0.1",
				"management.endpoints.web.exposure.include=health,mtls", "mtls.management.roles=cn:ops",
				"mtls.authorization.rules[0].paths=/admin/**", "mtls.authorization.rules[0].allow=cn:ops");
	}

	@Test
	void managementServerWhenStartedThenSameServerAsMainPort() {
		WebServer management = this.service.context().getBean(ServerTestApp.WebServers.class).management();

		assertThat(management).isInstanceOf(this.server.webServerType());
		assertThat(management.getPort()).isEqualTo(managementPort()).isNotEqualTo(this.service.port());
	}

	@Test
	void healthWhenNoCertificateThenUp() throws IOException {
		Response response = management(withoutCertificate());

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void healthWhenTrustedCertificateThenRequestedPresentedAndUp() throws IOException {
		CompletableFuture<Boolean> presented = new CompletableFuture<>();
		Response response = Response.parse(TlsProbe
			.get(this.alice.sslBundle().createSslContext(), managementPort(), "/actuator/health", (socket) -> socket
				.addHandshakeCompletedListener((event) -> presented.complete(event.getLocalCertificates() != null))));

		assertThat(presented).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void handshakeWhenRevokedCertificateOnManagementPortThenRefused(CapturedOutput output) {
		HandshakeRefusal.assertRefused(() -> management(this.revoked.sslBundle().createSslContext()), output,
				"is revoked by the CRL of 'CN=mtls Test Issuing CA'");
	}

	@Test
	void handshakeWhenMainPortAndNoCertificateThenStillRefused() {
		assertThatIOException().isThrownBy(() -> request(withoutCertificate(), "GET", "/whoami"))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

	@Test
	void mtlsEndpointWhenCallerInRolesThenRulesAndPeersShown() throws IOException {
		request(this.alice.sslBundle().createSslContext(), "GET", "/whoami");

		Response response = Response
			.parse(TlsProbe.get(this.ops.sslBundle().createSslContext(), managementPort(), "/actuator/mtls"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"identity\":{")
			.contains("\"name\":\"mtls.authorization.rules[0]\"")
			.contains("\"peers\":[")
			.contains("\"name\":\"alice\"");
	}

	@Test
	void mtlsEndpointWhenCallerNotInRolesThenSummaryOnly() throws IOException {
		request(this.alice.sslBundle().createSslContext(), "GET", "/whoami");

		Response response = Response
			.parse(TlsProbe.get(this.alice.sslBundle().createSslContext(), managementPort(), "/actuator/mtls"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("\"identity\":{")
			.contains("\"reload\":{")
			.doesNotContain("\"authorization\"")
			.doesNotContain("\"peers\"")
			.doesNotContain("alice");
	}

	private Response management(SSLContext client) throws IOException {
		return Response.parse(TlsProbe.get(client, managementPort(), "/actuator/health"));
	}

	private int managementPort() {
		return this.service.context().getEnvironment().getRequiredProperty("local.management.port", Integer.class);
	}

}
