package dev.mtls.it;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.ForwardingProxies;
import dev.mtls.it.support.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service on the starter behind real TLS-terminating proxies, which connect to it with
 * their own client certificate ({@code CN=proxy}): nginx forwarding
 * {@code $ssl_client_escaped_cert}, HAProxy forwarding RFC 9440's {@code Client-Cert}
 * from {@code ssl_c_der}. Both proxies let through certificates they did not verify, so
 * that the service's own validation is what refuses them; and clients that are not the
 * proxy try to forge the header.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedCertificatesBehindProxyIT {

	TestCertificateAuthority ca;

	ConfigurableApplicationContext nginxService;

	ConfigurableApplicationContext haproxyService;

	ConfigurableApplicationContext addressTrustingService;

	GenericContainer<?> nginx;

	GenericContainer<?> haproxy;

	int nginxPort = Containers.freePort();

	int haproxyPort = Containers.freePort();

	String aliceEscaped;

	@BeforeAll
	void start(@TempDir Path directory) throws CertificateEncodingException {
		this.ca = Containers.certificateAuthority(directory);
		TestCertificate alice = this.ca.client("alice");
		this.ca.writePem("alice", alice);
		this.ca.writePem("bob", this.ca.client("bob"));
		this.ca.writePem("untrusted", this.ca.client((spec) -> spec.commonName("mallory").untrusted()));
		this.ca.writePem("expired", this.ca.client((spec) -> spec.commonName("carol").expired()));
		TestCertificate dave = this.ca.client("dave");
		this.ca.writePem("revoked", dave);
		this.ca.revoke(dave);
		Path crl = this.ca.writeCrl();
		TestCertificate proxy = this.ca.client("proxy");
		this.ca.writePem("proxy", proxy);
		this.ca.write("proxy.pem", proxy.getCertificatePem() + proxy.getPrivateKeyPem());
		String[] service = this.ca.writeServiceProperties();
		TestCertificate server = this.ca.getServerCertificate();
		this.ca.write("server.pem", server.getCertificatePem() + server.getPrivateKeyPem());
		// Both proxies forward the client's certificate alone: the service trusts the
		// issuing CA too, as the README says.
		this.ca.write("trust.pem",
				this.ca.getCaCertificatePem() + pem(this.ca.getIssuingAuthority().getCertificate().getEncoded()));
		this.aliceEscaped = URLEncoder.encode(alice.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20");

		this.nginxService = service(service, "mtls.revocation.crls=" + crl.toUri(), "mtls.forwarded.format=nginx",
				"mtls.forwarded.trusted-proxies.identities=cn:proxy");
		this.haproxyService = service(service, "mtls.revocation.crls=" + crl.toUri(), "mtls.forwarded.format=rfc9440",
				"mtls.forwarded.trusted-proxies.identities=cn:proxy");
		this.addressTrustingService = service(service, "mtls.forwarded.format=nginx",
				"mtls.forwarded.trusted-proxies.addresses=10.0.0.0/8");
		this.nginx = ForwardingProxies.nginx(this.ca, this.nginxPort, port(this.nginxService));
		this.nginx.start();
		this.haproxy = ForwardingProxies.haproxy(this.ca, this.haproxyPort, port(this.haproxyService));
	}

	private ConfigurableApplicationContext service(String[] service, String... forwarded) {
		return new SpringApplicationBuilder(ItApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(service)
			.properties("mtls.trust.certificates=" + this.ca.fileLocation("trust.pem"), "mtls.server.client-auth=want",
					"mtls.forwarded.enabled=true")
			.properties(forwarded)
			.run();
	}

	@AfterAll
	void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.nginx, this.haproxy, this.nginxService,
				this.haproxyService, this.addressTrustingService }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// Closing the others matters more.
			}
		}
	}

	@Test
	void nginxWhenClientVerifiedThenForwardedIdentityReachesController() {
		assertThat(curl(this.nginxPort, "alice")).contains("body=alice status=200");
	}

	@Test
	void nginxWhenClientUntrustedOrRevokedThenServiceRefusesForwardedCertificate() {
		assertThat(curl(this.nginxPort, "untrusted")).contains("status=401");
		assertThat(curl(this.nginxPort, "revoked")).contains("status=401");
	}

	@Test
	void nginxWhenClientSendsNoCertificateThenNotAuthenticatedAsProxy() {
		assertThat(curl(this.nginxPort, null)).contains("status=401");
	}

	@Test
	void haproxyWhenClientCertFromSslCDerThenForwardedIdentityReachesController() {
		assertThat(curl(this.haproxyPort, "alice")).contains("body=alice status=200");
	}

	@Test
	void haproxyWhenClientExpiredOrUntrustedThenServiceRefusesForwardedCertificate() {
		assertThat(curl(this.haproxyPort, "expired")).contains("status=401");
		assertThat(curl(this.haproxyPort, "untrusted")).contains("status=401");
	}

	@Test
	void directClientWhenForgingHeaderThenSeenAsItself() {
		assertThat(curl(port(this.nginxService), "bob", "ssl-client-cert: " + this.aliceEscaped))
			.contains("body=bob status=200");
	}

	@Test
	void directClientWithoutCertificateWhenForgingHeaderThenUnauthorized() {
		assertThat(curl(port(this.nginxService), null, "ssl-client-cert: " + this.aliceEscaped)).contains("status=401");
	}

	@Test
	void clientOutsideTrustedAddressesWhenForgingHeaderThenSeenAsItself() {
		assertThat(curl(port(this.addressTrustingService), "bob", "ssl-client-cert: " + this.aliceEscaped))
			.contains("body=bob status=200");
	}

	private String curl(int port, String client) {
		return curl(port, client, null);
	}

	private String curl(int port, String client, String header) {
		String certificate = (client != null) ? " --cert /pki/%1$s.crt --key /pki/%1$s.key".formatted(client) : "";
		String headerOption = (header != null) ? " -H '" + header + "'" : "";
		return Containers
			.run(this.ca.getDirectory(),
					"curl -sS --max-time 20 --cacert /pki/ca.crt" + certificate + headerOption
							+ " -o /tmp/body -w '%{http_code}' https://localhost:" + port
							+ "/whoami > /tmp/status; echo \"body=$(cat /tmp/body) status=$(cat /tmp/status)\"")
			.output();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String pem(byte[] der) {
		return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END CERTIFICATE-----\n";
	}

}
