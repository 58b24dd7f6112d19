package dev.mtls.boot.autoconfigure.web.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.pki.IssuedCertificate.KeyFormat;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.tls.TlsDefaults;
import dev.mtls.boot.tomcat.MtlsJsseImplementation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real TLS handshakes against a service on the starter.
 */
class MtlsServerTests {

	@Test
	void requestWhenClientAuthWantAndNoCertificateThenUnauthorized(@TempDir Path directory) throws IOException {
		TestPki pki = new TestPki(directory);
		try (TestService service = TestService.start(pki.serviceProperties("mtls.server.client-auth=want"))) {
			String anonymous = TestPki.get(pki.clientContext(null), service.port(), "/whoami");
			String alice = TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami");

			assertThat(anonymous).startsWith("HTTP/1.1 401");
			assertThat(alice).startsWith("HTTP/1.1 200").endsWith("alice");
		}
	}

	@Test
	void requestWhenClientAuthNoneThenCertificateNotRequestedAndUnauthorized(@TempDir Path directory)
			throws IOException {
		TestPki pki = new TestPki(directory);
		try (TestService service = TestService.start(pki.serviceProperties("mtls.server.client-auth=none"))) {
			CompletableFuture<String> peer = new CompletableFuture<>();
			String response = TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami",
					(socket) -> socket.addHandshakeCompletedListener(
							(event) -> peer.complete((event.getLocalCertificates() != null) ? "sent" : "not sent")));

			assertThat(peer).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("not sent");
			assertThat(response).startsWith("HTTP/1.1 401");
		}
	}

	@Test
	void requestWhenEncryptedPkcs8IdentityThenServed(@TempDir Path directory) throws IOException {
		assertIdentityServes(directory, KeyFormat.PKCS8, "s3cret");
	}

	@Test
	void requestWhenPkcs1RsaIdentityThenServed(@TempDir Path directory) throws IOException {
		TestPki pki = new TestPki(directory);
		IssuedCertificate rsa = pki.ca()
			.certificate("localhost")
			.rsa(2048)
			.ipAddresses("127.0.0.1")
			.serverAuth()
			.issue();
		pki.write("rsa.crt", rsa.certificatePem());
		pki.write("rsa.key", rsa.privateKeyPem(KeyFormat.TRADITIONAL, null));

		assertThat(pki.write("probe", rsa.privateKeyPem(KeyFormat.TRADITIONAL, null))).content()
			.startsWith("-----BEGIN RSA PRIVATE KEY-----");
		try (TestService service = TestService.start("mtls.identity.certificate=" + pki.location("rsa.crt"),
				"mtls.identity.private-key=" + pki.location("rsa.key"),
				"mtls.trust.certificates=" + pki.location("ca.crt"))) {
			assertThat(TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenOpenSslEncryptedSec1IdentityThenServed(@TempDir Path directory) throws IOException {
		assertIdentityServes(directory, KeyFormat.TRADITIONAL, "s3cret");
	}

	private void assertIdentityServes(Path directory, KeyFormat format, String password) throws IOException {
		TestPki pki = new TestPki(directory);
		pki.write("encrypted.key", pki.server().privateKeyPem(format, password));
		try (TestService service = TestService.start("mtls.identity.certificate=" + pki.location("server.crt"),
				"mtls.identity.private-key=" + pki.location("encrypted.key"),
				"mtls.identity.private-key-password=" + password,
				"mtls.trust.certificates=" + pki.location("ca.crt"))) {
			assertThat(TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenPkcs12IdentityThenServed(@TempDir Path directory) throws IOException {
		TestPki pki = new TestPki(directory);
		pki.server().writeKeyStore(pki.file("server.p12"), "PKCS12", "server", "changeit");
		try (TestService service = TestService.start("mtls.identity.keystore.location=" + pki.location("server.p12"),
				"mtls.identity.keystore.password=changeit", "mtls.trust.certificates=" + pki.location("ca.crt"))) {
			assertThat(TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenJksIdentityAndJksTrustStoreThenServed(@TempDir Path directory) throws Exception {
		TestPki pki = new TestPki(directory);
		pki.server().writeKeyStore(pki.file("server.jks"), "JKS", "server", "changeit");
		KeyStore trust = KeyStore.getInstance("JKS");
		trust.load(null, null);
		trust.setCertificateEntry("ca", pki.ca().getCertificate());
		try (OutputStream out = Files.newOutputStream(pki.file("trust.jks"))) {
			trust.store(out, "trustpass".toCharArray());
		}
		try (TestService service = TestService.start("mtls.identity.keystore.location=" + pki.location("server.jks"),
				"mtls.identity.keystore.password=changeit",
				"mtls.trust.truststore.location=" + pki.location("trust.jks"),
				"mtls.trust.truststore.password=trustpass")) {
			assertThat(TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void requestWhenTrustIsDirectoryThenEveryCertificateInItTrusted(@TempDir Path directory) throws IOException {
		TestPki pki = new TestPki(directory);
		CertificateAuthority other = CertificateAuthority.create("Other CA");
		Files.createDirectories(pki.file("cas"));
		pki.ca().asIssued().writeCertificate(pki.file("cas/test.crt"));
		other.asIssued().writeCertificate(pki.file("cas/other.pem"));
		IssuedCertificate bob = other.certificate("bob").clientAuth().issue();
		try (TestService service = TestService.start("mtls.identity.certificate=" + pki.location("server.crt"),
				"mtls.identity.private-key=" + pki.location("server.key"),
				"mtls.trust.certificates=" + pki.location("cas"))) {
			assertThat(TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami")).endsWith("alice");
			assertThat(TestPki.get(pki.clientContext(bob), service.port(), "/whoami")).endsWith("bob");
		}
	}

	@Nested
	class ClientAuthNeed extends ClientCertificateNeedingServer {

		@Test
		void requestWhenTlsAttributesReadThenTomcatsValues() throws IOException {
			String response = TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/tls");

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
			assertRefused(this.pki.clientContext(this.pki.notYetValid("alice")));
		}

		@Test
		void handshakeWhenClientCertificateSelfSignedThenRefused() {
			IssuedCertificate selfSigned = CertificateAuthority.selfSigned("alice").clientAuth().issue();

			assertRefused(this.pki.clientContext(selfSigned));
		}

		@Test
		void handshakeWhenClientCertificateOnlyForServerAuthThenRefused() {
			IssuedCertificate serverOnly = this.pki.ca().certificate("alice").serverAuth().issue();

			assertRefused(this.pki.clientContext(serverOnly));
		}

		@Test
		void handshakeWhenTls11ThenRefused() {
			assertRefused(this.pki.clientContext(this.pki.alice()),
					(socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.1" }));
		}

		@Test
		void handshakeWhenTls12CbcSuiteThenRefused() {
			assertRefused(this.pki.clientContext(this.pki.alice()), (socket) -> {
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				socket.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
						"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" });
			});
		}

		@Test
		void handshakeWhenTls12GcmSuiteThenAccepted() throws IOException {
			CompletableFuture<String> negotiated = new CompletableFuture<>();
			String response = TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami",
					(socket) -> {
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
