package dev.mtls.boot.trust;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLException;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
@ExtendWith(OutputCaptureExtension.class)
class CertificatePolicyHandshakeTests {

	TestPki pki;

	IssuedCertificate revoked;

	TestService service;

	@BeforeAll
	void start(@TempDir Path directory) {
		this.pki = new TestPki(directory);
		this.revoked = this.pki.ca().certificate("revoked").clientAuth().issue();
		this.pki.write("ca.crl", this.pki.ca().crl(Duration.ofDays(7), this.revoked));
		this.service = TestService
			.start(this.pki.serviceProperties("mtls.revocation.crls=" + this.pki.location("ca.crl")));
	}

	@AfterAll
	void stop() {
		this.service.close();
	}

	private void assertRefused(IssuedCertificate client, CapturedOutput output, String reason) {
		assertThatIOException()
			.isThrownBy(() -> TestPki.get(this.pki.clientContext(client), this.service.port(), "/whoami"))
			.isInstanceOfAny(SSLException.class, SocketException.class);
		// The server logs from its own thread, maybe after the client saw the alert.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output).contains("Refused client certificate").contains(reason));
	}

	@Test
	void handshakeWhenRefusedRepeatedlyThenLoggedOnce(CapturedOutput output) {
		IssuedCertificate weak = this.pki.ca().certificate("retrying").rsa(1024).clientAuth().issue();
		for (int i = 0; i < 3; i++) {
			assertThatIOException()
				.isThrownBy(() -> TestPki.get(this.pki.clientContext(weak), this.service.port(), "/whoami"));
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.toString().lines().filter((line) -> line.contains("'CN=retrying'")))
				.hasSize(1));
	}

	@Test
	void handshakeWhenTrustAnchorExpiredThenRefused(@TempDir Path directory, CapturedOutput output) {
		Instant now = Instant.now();
		CertificateAuthority expiredCa = CertificateAuthority.selfSigned("Expired CA")
			.ca()
			.validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)))
			.issue()
			.asCertificateAuthority();
		IssuedCertificate client = expiredCa.certificate("late").clientAuth().issue();
		TestPki pki = new TestPki(directory);
		pki.write("both.crt", pki.ca().asIssued().certificatePem() + expiredCa.asIssued().certificatePem());
		try (TestService service = TestService.start("mtls.identity.certificate=" + pki.location("server.crt"),
				"mtls.identity.private-key=" + pki.location("server.key"),
				"mtls.trust.certificates=" + pki.location("both.crt"))) {
			assertThatIOException().isThrownBy(() -> TestPki.get(pki.clientContext(client), service.port(), "/whoami"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("The trust anchor certificate 'CN=Expired CA'")
					.contains("is not valid at"));
		}
	}

	@Test
	void handshakeWhenGoodClientThenAccepted() throws IOException {
		assertThat(TestPki.get(this.pki.clientContext(this.pki.alice()), this.service.port(), "/whoami"))
			.endsWith("alice");
	}

	@Test
	void handshakeWhenRsa1024ClientThenRefused(CapturedOutput output) {
		assertRefused(this.pki.ca().certificate("weak").rsa(1024).clientAuth().issue(), output,
				"has a 1024-bit RSA key; at least 2048 bits");
	}

	@Test
	void handshakeWhenSha1SignedClientThenRefused(CapturedOutput output) {
		assertRefused(this.pki.ca().certificate("old").signatureAlgorithm("SHA1withECDSA").clientAuth().issue(), output,
				"is signed with SHA1withECDSA; SHA-1 and weaker are refused");
	}

	@Test
	void handshakeWhenRevokedByCrlThenRefused(CapturedOutput output) {
		assertRefused(this.revoked, output, "is revoked by the CRL of 'CN=Test CA'");
	}

	@Test
	void handshakeWhenIssuerHasNoCrlThenNotRefusedWholesale(@TempDir Path directory) throws IOException {
		CertificateAuthority other = CertificateAuthority.create("Other CA");
		IssuedCertificate bob = other.certificate("bob").clientAuth().issue();
		TestPki twoCas = new TestPki(directory);
		twoCas.write("both.crt", twoCas.ca().asIssued().certificatePem() + other.asIssued().certificatePem());
		twoCas.write("ca.crl", twoCas.ca().crl(Duration.ofDays(7)));
		try (TestService service = TestService.start("mtls.identity.certificate=" + twoCas.location("server.crt"),
				"mtls.identity.private-key=" + twoCas.location("server.key"),
				"mtls.trust.certificates=" + twoCas.location("both.crt"),
				"mtls.revocation.crls=" + twoCas.location("ca.crl"))) {
			assertThat(TestPki.get(twoCas.clientContext(bob, twoCas.ca().getCertificate()), service.port(), "/whoami"))
				.endsWith("bob");
		}
	}

	@Test
	void handshakeWhenCrlExpiredThenClientsOfThatCaRefused(@TempDir Path directory, CapturedOutput output) {
		TestPki stale = new TestPki(directory);
		stale.write("ca.crl", stale.ca().crl(Duration.ofMinutes(-1)));
		try (TestService service = TestService
			.start(stale.serviceProperties("mtls.revocation.crls=" + stale.location("ca.crl")))) {
			assertThatIOException()
				.isThrownBy(() -> TestPki.get(stale.clientContext(stale.alice()), service.port(), "/whoami"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("The CRL of 'CN=Test CA' expired on"));
		}
	}

	@Test
	void handshakeWhenChainLongerThanPolicyThenRefused(@TempDir Path directory, CapturedOutput output)
			throws IOException {
		TestPki deep = new TestPki(directory);
		IssuedCertificate first = deep.ca().certificate("Intermediate 1").ca().issue();
		IssuedCertificate second = first.asCertificateAuthority().certificate("Intermediate 2").ca().issue();
		IssuedCertificate client = second.asCertificateAuthority().certificate("deep").clientAuth().issue();
		try (TestService service = TestService.start(deep.serviceProperties("mtls.policy.max-chain-length=2"))) {
			assertThatIOException()
				.isThrownBy(() -> TestPki.get(deep.clientContext(client), service.port(), "/whoami"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(output).contains("'CN=deep'").contains("has no valid path to a trusted CA"));
		}
		try (TestService service = TestService.start(deep.serviceProperties("mtls.policy.max-chain-length=3"))) {
			assertThat(TestPki.get(deep.clientContext(client), service.port(), "/whoami")).endsWith("deep");
		}
	}

}
