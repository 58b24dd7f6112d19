package dev.mtls.boot.autoconfigure.web.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.pki.IssuedCertificate.KeyFormat;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.TlsDefaults;
import dev.mtls.boot.tomcat.MtlsJsseImplementation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real TLS handshakes against a service on the starter.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsServerTests {

	@Test
	void requestWhenClientAuthWantAndNoCertificateThenUnauthorized(TestCertificateAuthority ca) throws IOException {
		try (TestService service = TestService.start(ca.writeServiceProperties("mtls.server.client-auth=want"))) {
			String anonymous = TlsProbe.get(ca.trustOnlySslBundle().createSslContext(), service.port(), "/whoami");
			String alice = TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami");

			assertThat(anonymous).startsWith("HTTP/1.1 401");
			assertThat(alice).startsWith("HTTP/1.1 200").endsWith("alice");
		}
	}

	@Test
	void requestWhenClientAuthNoneThenCertificateNotRequestedAndUnauthorized(TestCertificateAuthority ca)
			throws IOException {
		try (TestService service = TestService.start(ca.writeServiceProperties("mtls.server.client-auth=none"))) {
			CompletableFuture<String> peer = new CompletableFuture<>();
			String response = TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami",
					(socket) -> socket.addHandshakeCompletedListener(
							(event) -> peer.complete((event.getLocalCertificates() != null) ? "sent" : "not sent")));

			assertThat(peer).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("not sent");
			assertThat(response).startsWith("HTTP/1.1 401");
		}
	}

	@Test
	void requestWhenEncryptedPkcs8IdentityThenServed(TestCertificateAuthority ca) throws IOException {
		assertIdentityServes(ca, KeyFormat.PKCS8, "s3cret");
	}

	@Test
	void requestWhenPkcs1RsaIdentityThenServed(TestCertificateAuthority ca) throws IOException {
		IssuedCertificate rsa = ca.getIssuingAuthority()
			.certificate("localhost")
			.rsa(2048)
			.ipAddresses("127.0.0.1")
			.serverAuth()
			.issue();
		rsa.writeCertificate(ca.getDirectory().resolve("rsa.crt"));
		Path key = Files.writeString(ca.getDirectory().resolve("rsa.key"),
				rsa.privateKeyPem(KeyFormat.TRADITIONAL, null));

		assertThat(key).content().startsWith("-----BEGIN RSA PRIVATE KEY-----");
		try (TestService service = TestService.start("mtls.identity.certificate=" + ca.fileLocation("rsa.crt"),
				"mtls.identity.private-key=" + ca.fileLocation("rsa.key"),
				"mtls.trust.certificates=" + trustLocation(ca))) {
			assertThat(TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenOpenSslEncryptedSec1IdentityThenServed(TestCertificateAuthority ca) throws IOException {
		assertIdentityServes(ca, KeyFormat.TRADITIONAL, "s3cret");
	}

	private void assertIdentityServes(TestCertificateAuthority ca, KeyFormat format, String password)
			throws IOException {
		// The test module writes unencrypted PKCS#8 keys only: mint the server's own.
		IssuedCertificate server = ca.getIssuingAuthority()
			.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1")
			.serverAuth()
			.clientAuth()
			.issue();
		server.writeCertificate(ca.getDirectory().resolve("server.crt"));
		Files.writeString(ca.getDirectory().resolve("encrypted.key"), server.privateKeyPem(format, password));
		try (TestService service = TestService.start("mtls.identity.certificate=" + ca.fileLocation("server.crt"),
				"mtls.identity.private-key=" + ca.fileLocation("encrypted.key"),
				"mtls.identity.private-key-password=" + password, "mtls.trust.certificates=" + trustLocation(ca))) {
			assertThat(TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenPkcs12IdentityThenServed(TestCertificateAuthority ca) throws IOException {
		ca.writePkcs12("server", ca.getServerCertificate(), "changeit");
		try (TestService service = TestService.start("mtls.identity.keystore.location=" + ca.fileLocation("server.p12"),
				"mtls.identity.keystore.password=changeit", "mtls.trust.certificates=" + trustLocation(ca))) {
			assertThat(TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenJksIdentityAndJksTrustStoreThenServed(TestCertificateAuthority ca) throws IOException {
		ca.writeJks("server", ca.getServerCertificate(), "changeit");
		ca.writeTrustStore("trust", "JKS", "trustpass");
		try (TestService service = TestService.start("mtls.identity.keystore.location=" + ca.fileLocation("server.jks"),
				"mtls.identity.keystore.password=changeit",
				"mtls.trust.truststore.location=" + ca.fileLocation("trust.jks"),
				"mtls.trust.truststore.password=trustpass")) {
			assertThat(TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenTrustIsDirectoryThenEveryCertificateInItTrusted(TestCertificateAuthority ca) throws IOException {
		CertificateAuthority other = CertificateAuthority.create("Other CA");
		Path cas = Files.createDirectories(ca.getDirectory().resolve("cas"));
		Files.writeString(cas.resolve("test.crt"), ca.getCaCertificatePem());
		other.asIssued().writeCertificate(cas.resolve("other.pem"));
		TestCertificate bob = ca.adopt(other.certificate("bob").clientAuth().issue());
		PemFiles server = ca.writePem("server", ca.getServerCertificate());
		try (TestService service = TestService.start("mtls.identity.certificate=" + server.certificateLocation(),
				"mtls.identity.private-key=" + server.privateKeyLocation(),
				"mtls.trust.certificates=" + ca.fileLocation("cas"))) {
			assertThat(TlsProbe.get(clientContext(ca.client("alice")), service.port(), "/whoami")).endsWith("alice");
			assertThat(TlsProbe.get(clientContext(bob), service.port(), "/whoami")).endsWith("bob");
		}
	}

	private static String trustLocation(TestCertificateAuthority ca) {
		return "file:" + ca.writeCaCertificate().toAbsolutePath();
	}

	private static SSLContext clientContext(TestCertificate client) {
		return client.sslBundle().createSslContext();
	}

	@Nested
	class ClientAuthNeed extends ClientCertificateNeedingServer {

		@Test
		void requestWhenTlsAttributesReadThenTomcatsValues() throws IOException {
			String response = TlsProbe.get(clientContext(this.alice), this.service.port(), "/tls");

			assertThat(response).startsWith("HTTP/1.1 200");
			// TLS 1.3: the server's own session ID, not the legacy one the client sees.
			assertThat(response).containsPattern("(?m)^jakarta\\.servlet\\.request\\.ssl_session_id=[0-9a-f]{64}$");
			assertThat(response.lines()).contains("org.apache.tomcat.util.net.secure_protocol_version=TLSv1.3");
			assertThat(response).containsPattern("secure_requested_protocol_versions=.*TLSv1\\.3")
				.containsPattern("secure_requested_ciphers=.*TLS_AES_128_GCM_SHA256");
			assertThat(connector().getProperty("sslImplementationName"))
				.isEqualTo(MtlsJsseImplementation.class.getName());
		}

		@Test
		void handshakeWhenClientCertificateNotYetValidThenRefused() {
			TestCertificate notYetValid = this.ca.client((spec) -> spec.commonName("alice").notYetValid());

			assertRefused(clientContext(notYetValid));
		}

		@Test
		void handshakeWhenClientCertificateSelfSignedThenRefused() {
			TestCertificate selfSigned = this.ca.adopt(CertificateAuthority.selfSigned("alice").clientAuth().issue());

			assertRefused(clientContext(selfSigned));
		}

		@Test
		void handshakeWhenClientCertificateOnlyForServerAuthThenRefused() {
			TestCertificate serverOnly = this.ca.client((spec) -> spec.commonName("alice").withoutClientAuthUsage());

			assertRefused(clientContext(serverOnly));
		}

		@Test
		void handshakeWhenTls11ThenRefused() {
			assertRefused(clientContext(this.alice),
					(socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.1" }));
		}

		@Test
		void handshakeWhenTls12CbcSuiteThenRefused() {
			assertRefused(clientContext(this.alice), (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
						"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" });
			});
		}

		@Test
		void handshakeWhenTls12GcmSuiteThenAccepted() throws IOException {
			CompletableFuture<String> negotiated = new CompletableFuture<>();
			String response = TlsProbe.get(clientContext(this.alice), this.service.port(), "/whoami", (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.addHandshakeCompletedListener((event) -> negotiated.complete(event.getCipherSuite()));
			});

			assertThat(response).startsWith("HTTP/1.1 200");
			// The JDK calls handshake listeners on a thread of their own.
			assertThat(negotiated).succeedsWithin(Duration.ofSeconds(10)).isIn(TlsDefaults.TLS12_CIPHER_SUITES);
		}

		@Test
		void requestWhenPlainHttpThenNotServed() throws IOException {
			try (Socket socket = new Socket("127.0.0.1", this.service.port())) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write("GET /whoami HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
				String response = new String(socket.getInputStream().readAllBytes());

				assertThat(response).doesNotContain("alice").doesNotStartWith("HTTP/1.1 200");
			}
		}

	}

}
