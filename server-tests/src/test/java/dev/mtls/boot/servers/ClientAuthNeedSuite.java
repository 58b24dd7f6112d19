package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateSpec;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.TlsDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * The handshake with {@code mtls.server.client-auth=need} (the default) and CRL
 * revocation: who gets through (also for many requests on one connection), which
 * certificates, protocols and suites are refused, why the server says it refused them,
 * and the authentication counters.
 */
abstract class ClientAuthNeedSuite extends ServerSuite {

	private static final String AUTHENTICATION = "mtls.authentication";

	TestCertificate alice;

	TestCertificate revoked;

	private final String[] extraProperties;

	ClientAuthNeedSuite(Server server, String... extraProperties) {
		super(server);
		this.extraProperties = extraProperties;
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		this.revoked = ca.client("revoked");
		ca.revoke(this.revoked);
		ca.writeCrl();
		List<String> properties = new ArrayList<>(List.of(this.extraProperties));
		properties.add("mtls.revocation.crls=" + ca.fileLocation("ca.crl"));
		return ca.writeServiceProperties(properties.toArray(String[]::new));
	}

	@Test
	void requestWhenTrustedClientCertificateThenPrincipalIsCommonNameAndCounted() throws IOException {
		double authenticated = count(AUTHENTICATION, "outcome", "success");

		Response response = get(this.alice, "/whoami");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("alice");
		assertThat(count(AUTHENTICATION, "outcome", "success")).isEqualTo(authenticated + 1);
	}

	@Test
	void connectionWhenKeptAliveThenServesMoreRequestsThanTomcatsDefaultLimit() throws IOException {
		// Tomcat's own default is 100 requests per connection; the starter lifts it on
		// every server.
		try (KeepAliveConnection connection = new KeepAliveConnection(this.alice.sslBundle().createSslContext(),
				this.service.port())) {
			for (int i = 0; i < 120; i++) {
				Response response = connection.get("/whoami");

				assertThat(response.status()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("alice");
			}
		}
	}

	@Test
	void connectionWhenClientCertificateInItsLastQuarterThenServerAsksForNewConnectionAfterResponse()
			throws IOException {
		// Valid 3 h, 30 min left: the last quarter. The client's next request opens a
		// connection with the certificate it has by then (ConnectionRenewal).
		Instant now = Instant.now();
		TestCertificate ageing = this.ca.client((spec) -> spec.commonName("ageing")
			.validity(now.minus(Duration.ofMinutes(150)), now.plus(Duration.ofMinutes(30))));
		try (KeepAliveConnection connection = new KeepAliveConnection(ageing.sslBundle().createSslContext(),
				this.service.port())) {
			Response response = connection.get("/whoami");

			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("ageing");
			assertThat(connection.closeAnnounced()).isTrue();
			assertThat(connection.closedByServer()).isTrue();
		}
	}

	@Test
	void connectionWhenClientCertificateYoungThenKeptAlive() throws IOException {
		try (KeepAliveConnection connection = new KeepAliveConnection(this.alice.sslBundle().createSslContext(),
				this.service.port())) {
			assertThat(connection.get("/whoami").status()).isEqualTo(200);
			assertThat(connection.closeAnnounced()).isFalse();
			assertThat(connection.closedByServer()).isFalse();
		}
	}

	@Test
	void handshakeWhenClientOffersAllProtocolsThenTls13Negotiated() throws IOException {
		CompletableFuture<String> protocol = new CompletableFuture<>();
		Response response = request(this.alice.sslBundle().createSslContext(), "GET", "/whoami", (socket) -> socket
			.addHandshakeCompletedListener((event) -> protocol.complete(event.getSession().getProtocol())));

		assertThat(response.status()).isEqualTo(200);
		// The JDK calls handshake listeners on a thread of their own.
		assertThat(protocol).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("TLSv1.3");
	}

	@Test
	void handshakeWhenTls12ThenIntermediateGcmSuiteNegotiated() throws IOException {
		CompletableFuture<String> suite = new CompletableFuture<>();
		Response response = request(this.alice.sslBundle().createSslContext(), "GET", "/whoami", (socket) -> {
			socket.setEnabledProtocols(new String[] { "TLSv1.2" });
			socket.addHandshakeCompletedListener((event) -> suite.complete(event.getCipherSuite()));
		});

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("alice");
		assertThat(suite).succeedsWithin(Duration.ofSeconds(10)).isIn(TlsDefaults.TLS12_CIPHER_SUITES);
	}

	@Test
	void handshakeWhenNoClientCertificateThenRefused() {
		assertThatIOException().isThrownBy(() -> TlsProbe.get(withoutCertificate(), this.service.port(), "/whoami"))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

	@Test
	void handshakeWhenClientCertificateFromUntrustedCaThenRefused(CapturedOutput output) {
		assertRefused((spec) -> spec.commonName("stranger").untrusted(), output, "has no valid path to a trusted CA");
	}

	@Test
	void handshakeWhenClientCertificateExpiredThenRefused(CapturedOutput output) {
		assertRefused((spec) -> spec.commonName("expired").expired(), output, "is not valid at");
	}

	@Test
	void handshakeWhenClientCertificateRevokedThenRefusedAndCounted(CapturedOutput output) {
		double refused = count(AUTHENTICATION, "outcome", "failure", "reason", "revoked");

		HandshakeRefusal.assertRefused(() -> get(this.revoked, "/whoami"), output,
				"is revoked by the CRL of 'CN=mtls Test Issuing CA'");
		assertThat(output).contains("'CN=revoked'");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(count(AUTHENTICATION, "outcome", "failure", "reason", "revoked"))
				.isEqualTo(refused + 1));
	}

	@Test
	void handshakeWhenClientCertificateSignedWithSha1ThenRefused(CapturedOutput output) {
		assertRefused((spec) -> spec.commonName("sha1").sha1(), output,
				"is signed with SHA1withECDSA; SHA-1 and weaker are refused");
	}

	@Test
	void handshakeWhenClientCertificateHasRsa1024KeyThenRefused(CapturedOutput output) {
		assertRefused((spec) -> spec.commonName("rsa1024").rsa(1024), output,
				"has a 1024-bit RSA key; at least 2048 bits");
	}

	@Test
	void handshakeWhenClientCertificateWithoutClientAuthUsageThenRefused(CapturedOutput output) {
		assertRefused((spec) -> spec.commonName("server-only").withoutClientAuthUsage(), output, "without clientAuth");
	}

	@Test
	void requestWhenClientCertificateIsCaCertificateThenUnauthorizedAndCounted(CapturedOutput output)
			throws IOException {
		// The JDK's PKIX checks accept a CA certificate as a client: the per-request
		// authentication refuses it, on every server alike.
		TestCertificate intermediate = this.ca.client((spec) -> spec.commonName("Intermediate CA").caCertificate());
		double failed = count(AUTHENTICATION, "outcome", "failure", "reason", "ca-certificate");

		Response response = get(intermediate, "/whoami");

		assertThat(response.status()).isEqualTo(401);
		assertThat(count(AUTHENTICATION, "outcome", "failure", "reason", "ca-certificate")).isEqualTo(failed + 1);
		assertThat(response.body()).doesNotContain("Intermediate CA");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output)
				.contains("'CN=Intermediate CA' is a CA certificate, which cannot be a client"));
	}

	@Test
	void handshakeWhenTls11ThenRefused() {
		// The test JVM enables TLS 1.1 in the JDK (tls-legacy-enabled.security): the
		// client offers it, so the refusal is the server's.
		assertThat(Security.getProperty("jdk.tls.disabledAlgorithms")).doesNotContain("TLSv1.1");
		assertThatIOException()
			.isThrownBy(() -> request(this.alice.sslBundle().createSslContext(), "GET", "/whoami",
					(socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.1" })))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

	@Test
	void handshakeWhenTls12CbcSuiteThenRefused() {
		assertThatIOException()
			.isThrownBy(() -> request(this.alice.sslBundle().createSslContext(), "GET", "/whoami", (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
						"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" });
			}))
			.isInstanceOfAny(SSLException.class, SocketException.class);
	}

	@Test
	void requestWhenPlainHttpThenNotServed() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.service.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write("GET /whoami HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(response).doesNotContain("alice").doesNotStartWith("HTTP/1.1 200");
		}
	}

	private void assertRefused(Consumer<TestCertificateSpec> spec, CapturedOutput output, String reason) {
		TestCertificate client = this.ca.client(spec);
		String subject = client.getCertificate().getSubjectX500Principal().getName();

		HandshakeRefusal.assertRefused(() -> get(client, "/whoami"), output, reason);
		assertThat(output).contains("'" + subject + "'");
	}

}
