package dev.mtls.boot.trust;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Each rule of the certificate policy and CRL revocation, through real handshakes with a
 * service on the starter: the client is refused in the handshake and the reason logged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class CertificatePolicyHandshakeTests {

	TestCertificateAuthority ca;

	TestCertificate revoked;

	TestService service;

	@BeforeAll
	void start(TestCertificateAuthority ca) {
		this.ca = ca;
		this.revoked = ca.client("revoked");
		ca.revoke(this.revoked);
		ca.writeCrl();
		this.service = TestService
			.start(ca.writeServiceProperties("mtls.revocation.crls=" + ca.fileLocation("ca.crl")));
	}

	@AfterAll
	void stop() {
		this.service.close();
	}

	private void assertRefused(TestCertificate client, CapturedOutput output, String reason) {
		assertThatIOException().isThrownBy(() -> TlsProbe.get(clientContext(client), this.service.port(), "/whoami"))
			.isInstanceOfAny(SSLException.class, SocketException.class);
		// The server logs from its own thread, maybe after the client saw the alert.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output).contains("Refused client certificate").contains(reason));
	}

	private static SSLContext clientContext(TestCertificate client) {
		return client.sslBundle().createSslContext();
	}

	private static Path write(TestCertificateAuthority ca, String fileName, String content) throws IOException {
		return Files.writeString(ca.getDirectory().resolve(fileName), content);
	}

	@Test
	void handshakeWhenRefusedRepeatedlyThenLoggedOnce(CapturedOutput output) {
		TestCertificate weak = this.ca.client((spec) -> spec.commonName("retrying").rsa(1024));
		for (int i = 0; i < 3; i++) {
			assertThatIOException().isThrownBy(() -> TlsProbe.get(clientContext(weak), this.service.port(), "/whoami"));
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.toString().lines().filter((line) -> line.contains("'CN=retrying'")))
				.hasSize(1));
	}

	@Test
	void handshakeWhenTrustAnchorExpiredThenRefused(CapturedOutput output) throws IOException {
		Instant now = Instant.now();
		CertificateAuthority expiredCa = CertificateAuthority.selfSigned("Expired CA")
			.ca()
			.validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)))
			.issue()
			.asCertificateAuthority();
		try (TestCertificateAuthority anchors = TestCertificateAuthority.create()) {
			TestCertificate client = anchors.adopt(expiredCa.certificate("late").clientAuth().issue());
			PemFiles server = anchors.writePem("server", anchors.getServerCertificate());
			write(anchors, "both.crt", anchors.getCaCertificatePem() + expiredCa.asIssued().certificatePem());
			try (TestService service = TestService.start("mtls.identity.certificate=" + server.certificateLocation(),
					"mtls.identity.private-key=" + server.privateKeyLocation(),
					"mtls.trust.certificates=" + anchors.fileLocation("both.crt"))) {
				assertThatIOException()
					.isThrownBy(() -> TlsProbe.get(clientContext(client), service.port(), "/whoami"));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(output).contains("The trust anchor certificate 'CN=Expired CA'")
						.contains("is not valid at"));
			}
		}
	}

	@Test
	void handshakeWhenGoodClientThenAccepted() throws IOException {
		assertThat(TlsProbe.get(clientContext(this.ca.client("alice")), this.service.port(), "/whoami"))
			.endsWith("alice");
	}

	@Test
	void handshakeWhenRsa1024ClientThenRefused(CapturedOutput output) {
		assertRefused(this.ca.client((spec) -> spec.commonName("weak").rsa(1024)), output,
				"has a 1024-bit RSA key; at least 2048 bits");
	}

	@Test
	void handshakeWhenSha1SignedClientThenRefused(CapturedOutput output) {
		assertRefused(this.ca.client((spec) -> spec.commonName("old").sha1()), output,
				"is signed with SHA1withECDSA; SHA-1 and weaker are refused");
	}

	@Test
	void handshakeWhenRevokedByCrlThenRefused(CapturedOutput output) {
		assertRefused(this.revoked, output, "is revoked by the CRL of 'CN=mtls Test Issuing CA'");
	}

	@Test
	void handshakeWhenIssuerHasNoCrlThenNotRefusedWholesale() throws IOException {
		CertificateAuthority other = CertificateAuthority.create("Other CA");
		try (TestCertificateAuthority twoCas = TestCertificateAuthority.create()) {
			TestCertificate bob = twoCas.adopt(other.certificate("bob").clientAuth().issue());
			PemFiles server = twoCas.writePem("server", twoCas.getServerCertificate());
			write(twoCas, "both.crt", twoCas.getCaCertificatePem() + other.asIssued().certificatePem());
			twoCas.writeCrl();
			try (TestService service = TestService.start("mtls.identity.certificate=" + server.certificateLocation(),
					"mtls.identity.private-key=" + server.privateKeyLocation(),
					"mtls.trust.certificates=" + twoCas.fileLocation("both.crt"),
					"mtls.revocation.crls=" + twoCas.fileLocation("ca.crl"))) {
				assertThat(TlsProbe.get(clientContext(bob), service.port(), "/whoami")).endsWith("bob");
			}
		}
	}

	@Test
	void handshakeWhenCrlExpiredThenClientsOfThatCaRefused(CapturedOutput output) throws IOException {
		try (TestCertificateAuthority stale = TestCertificateAuthority.create()) {
			// The test CA's own CRLs are valid for days: mint an expired one.
			write(stale, "ca.crl", stale.getIssuingAuthority().crl(Duration.ofMinutes(-1)));
			try (TestService service = TestService
				.start(stale.writeServiceProperties("mtls.revocation.crls=" + stale.fileLocation("ca.crl")))) {
				assertThatIOException()
					.isThrownBy(() -> TlsProbe.get(clientContext(stale.client("alice")), service.port(), "/whoami"));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(
							() -> assertThat(output).contains("The CRL of 'CN=mtls Test Issuing CA' expired on"));
			}
		}
	}

	@Test
	void handshakeWhenChainLongerThanPolicyThenRefused(CapturedOutput output) throws IOException {
		try (TestCertificateAuthority deep = TestCertificateAuthority.create()) {
			// Two intermediates under the test root: the client sends a chain of three.
			IssuedCertificate first = deep.getRootAuthority().certificate("Intermediate 1").ca().issue();
			IssuedCertificate second = first.asCertificateAuthority().certificate("Intermediate 2").ca().issue();
			TestCertificate client = deep
				.adopt(second.asCertificateAuthority().certificate("deep").clientAuth().issue());
			try (TestService service = TestService
				.start(deep.writeServiceProperties("mtls.policy.max-chain-length=2"))) {
				assertThatIOException()
					.isThrownBy(() -> TlsProbe.get(clientContext(client), service.port(), "/whoami"));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(output).contains("'CN=deep'")
						.contains("has no valid path to a trusted CA"));
			}
			try (TestService service = TestService
				.start(deep.writeServiceProperties("mtls.policy.max-chain-length=3"))) {
				assertThat(TlsProbe.get(clientContext(client), service.port(), "/whoami")).endsWith("deep");
			}
		}
	}

}
