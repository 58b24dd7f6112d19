package dev.mtls.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.Nginx;
import dev.mtls.it.support.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Online revocation checking of client certificates against peers we did not write:
 * {@code openssl ocsp} as the OCSP responder, nginx publishing the CA's CRL at the
 * certificates' distribution point; responders down with and without soft-fail.
 */
@ExtendWith({ RequiresDocker.class, OutputCaptureExtension.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineRevocationIT {

	private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	TestCertificateAuthority ca;

	String[] serviceProperties;

	int ocspPort;

	int crlPort;

	TestCertificate good;

	TestCertificate revoked;

	GenericContainer<?> responder;

	GenericContainer<?> crlServer;

	@BeforeAll
	void start(@TempDir Path directory) throws IOException {
		this.ca = Containers.certificateAuthority(directory);
		this.serviceProperties = this.ca.writeServiceProperties("mtls.revocation.timeout=3s");
		this.ocspPort = Containers.freePort();
		this.crlPort = Containers.freePort();
		String ocsp = "http://127.0.0.1:" + this.ocspPort + "/";
		String crl = "http://127.0.0.1:" + this.crlPort + "/ca.crl";
		CertificateAuthority issuer = this.ca.getIssuingAuthority();
		this.good = this.ca
			.adopt(issuer.certificate("good").clientAuth().ocspResponder(ocsp).crlDistributionPoint(crl).issue());
		this.revoked = this.ca
			.adopt(issuer.certificate("revoked").clientAuth().ocspResponder(ocsp).crlDistributionPoint(crl).issue());
		// openssl's CA database: V(alid) or R(evoked), expiry, revocation time, serial,
		// file, subject.
		String expiry = OPENSSL_TIME.format(this.good.getCertificate().getNotAfter().toInstant());
		String now = OPENSSL_TIME.format(Instant.now().minusSeconds(60));
		Files.writeString(directory.resolve("index.txt"),
				"V\t" + expiry + "\t\t" + serial(this.good) + "\tunknown\t/CN=good\n" + "R\t" + expiry + "\t" + now
						+ "\t" + serial(this.revoked) + "\tunknown\t/CN=revoked\n");
		this.ca.revoke(this.revoked);
		this.ca.writeCrl();
		// openssl ocsp signs its responses with the key of the CA that issued the
		// certificates: the issuing CA, below the root that services trust.
		this.ca.writePem("issuing-ca", this.ca.adopt(issuer.asIssued()));
		this.responder = Containers.create(directory)
			.withCommand("openssl", "ocsp", "-index", "/pki/index.txt", "-port", String.valueOf(this.ocspPort),
					"-rsigner", "/pki/issuing-ca.crt", "-rkey", "/pki/issuing-ca.key", "-CA", "/pki/issuing-ca.crt",
					"-ignore_err")
			.waitingFor(Wait.forLogMessage("(?is).*waiting for OCSP client connections.*", 1)
				.withStartupTimeout(Duration.ofSeconds(30)));
		this.responder.start();
		this.crlServer = Nginx.files(this.ca, this.crlPort);
		this.crlServer.start();
	}

	private static String serial(TestCertificate certificate) {
		String hex = certificate.getCertificate().getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
		return (hex.length() % 2 == 0) ? hex : "0" + hex;
	}

	@AfterAll
	void stop() {
		if (this.responder != null) {
			this.responder.stop();
		}
		if (this.crlServer != null) {
			this.crlServer.stop();
		}
	}

	private ConfigurableApplicationContext service(String... revocation) {
		return new SpringApplicationBuilder(ItApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(this.serviceProperties)
			.properties(revocation)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	void ocspWhenResponderSaysGoodThenAcceptedAndRevokedRefused(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext service = service("mtls.revocation.ocsp=true")) {
			assertThat(TlsProbe.get(this.good.sslBundle().createSslContext(), port(service), "/whoami"))
				.endsWith("good");
			assertThatIOException()
				.isThrownBy(() -> TlsProbe.get(this.revoked.sslBundle().createSslContext(), port(service), "/whoami"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("'CN=revoked'")
					.contains("failed the online revocation check")
					.containsIgnoringCase("revoked"));
		}
	}

	@Test
	void distributionPointWhenCrlRevokesThenRefusedAndOthersAccepted(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext service = service("mtls.revocation.distribution-points=true")) {
			assertThat(TlsProbe.get(this.good.sslBundle().createSslContext(), port(service), "/whoami"))
				.endsWith("good");
			assertThatIOException()
				.isThrownBy(() -> TlsProbe.get(this.revoked.sslBundle().createSslContext(), port(service), "/whoami"));
		}
		assertThat(this.crlServer.getLogs()).contains("GET /ca.crl");
		assertThat(output).contains("failed the online revocation check");
	}

	@Test
	void ocspWhenResponderUnreachableThenHardFailRefusesAndSoftFailAccepts() throws IOException {
		int nowhere = Containers.freePort();
		TestCertificate orphan = this.ca.adopt(this.ca.getIssuingAuthority()
			.certificate("orphan")
			.clientAuth()
			.ocspResponder("http://127.0.0.1:" + nowhere + "/")
			.issue());
		try (ConfigurableApplicationContext service = service("mtls.revocation.ocsp=true")) {
			assertThatIOException()
				.isThrownBy(() -> TlsProbe.get(orphan.sslBundle().createSslContext(), port(service), "/whoami"));
		}
		try (ConfigurableApplicationContext service = service("mtls.revocation.ocsp=true",
				"mtls.revocation.soft-fail=true")) {
			assertThat(TlsProbe.get(orphan.sslBundle().createSslContext(), port(service), "/whoami"))
				.endsWith("orphan");
		}
	}

}
