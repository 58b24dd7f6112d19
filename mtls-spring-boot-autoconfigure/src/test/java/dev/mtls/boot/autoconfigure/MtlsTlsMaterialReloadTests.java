package dev.mtls.boot.autoconfigure;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.CountingKeyManager;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rotation of {@link MtlsTlsMaterial} files as Kubernetes does it (a {@code ..data}
 * symbolic link swapped atomically), under continuous load, for the server and for an
 * outbound RestClient.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsTlsMaterialReloadTests {

	@TempDir
	Path directory;

	TestCertificateAuthority ca;

	IssuedCertificate aliceCertificate;

	TestCertificate alice;

	Path secret;

	int version;

	@BeforeEach
	void setUp(TestCertificateAuthority ca) throws IOException {
		this.ca = ca;
		// Minted as the starter's IssuedCertificate, which CountingKeyManager presents.
		this.aliceCertificate = ca.getIssuingAuthority().certificate("alice").clientAuth().issue();
		this.alice = ca.adopt(this.aliceCertificate);
		this.secret = Files.createDirectories(this.directory.resolve("secret"));
		publish(identity(0), ca.getCaCertificatePem());
		for (String file : new String[] { "tls.crt", "tls.key", "ca.crt" }) {
			Files.createSymbolicLink(this.secret.resolve(file), Path.of("..data", file));
		}
	}

	private TestCertificate identity(int generation) {
		return this.ca.client((spec) -> spec.commonName("localhost-" + generation)
			.dnsName("localhost")
			.ipAddress("127.0.0.1")
			.serverAuthUsage());
	}

	/**
	 * Write a new version directory and swap the {@code ..data} link to it atomically.
	 */
	private void publish(TestCertificate identity, String trust) throws IOException {
		publish(identity.getCertificatePem(), identity.getPrivateKeyPem(), trust);
	}

	private void publish(String certificate, String key, String trust) throws IOException {
		Path next = Files.createDirectories(this.secret.resolve("..v" + this.version++));
		Files.writeString(next.resolve("tls.crt"), certificate);
		Files.writeString(next.resolve("tls.key"), key);
		Files.writeString(next.resolve("ca.crt"), trust);
		Path link = this.secret.resolve("..data_tmp");
		Files.createSymbolicLink(link, next.getFileName());
		Files.move(link, this.secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	private String[] rotatingProperties() {
		return new String[] { "mtls.identity.certificate=file:" + this.secret.resolve("tls.crt"),
				"mtls.identity.private-key=file:" + this.secret.resolve("tls.key"),
				"mtls.trust.certificates=file:" + this.secret.resolve("ca.crt"), "mtls.reload.quiet-period=200ms" };
	}

	private BigInteger serverSerial(int port) throws IOException {
		CompletableFuture<BigInteger> serial = new CompletableFuture<>();
		TlsProbe.get(this.alice.sslBundle().createSslContext(), port, "/whoami",
				(socket) -> socket.addHandshakeCompletedListener((event) -> {
					try {
						serial.complete(((X509Certificate) event.getPeerCertificates()[0]).getSerialNumber());
					}
					catch (Exception ex) {
						serial.completeExceptionally(ex);
					}
				}));
		// The JDK calls handshake listeners on a thread of their own.
		return serial.orTimeout(10, TimeUnit.SECONDS).join();
	}

	@Test
	void rotationWhenLinkSwappedFiveTimesUnderLoadThenNoRequestFailsAndNewConnectionsUseNewMaterial() throws Exception {
		try (TestService downstream = TestService.start(this.ca.writeServiceProperties());
				TestService service = TestService.start(rotatingProperties())) {
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger requests = new AtomicInteger();
			AtomicInteger failures = new AtomicInteger();
			RestClient established = service.context().getBean(RestClient.Builder.class).build();
			String downstreamUrl = "https://127.0.0.1:" + downstream.port() + "/whoami";
			ExecutorService load = Executors.newFixedThreadPool(2);
			load.submit(() -> {
				while (running.get()) {
					try {
						assertThat(TlsProbe.get(this.alice.sslBundle().createSslContext(), service.port(), "/whoami"))
							.endsWith("alice");
						requests.incrementAndGet();
					}
					catch (Throwable ex) {
						failures.incrementAndGet();
					}
				}
			});
			load.submit(() -> {
				while (running.get()) {
					try {
						assertThat(established.get().uri(downstreamUrl).retrieve().body(String.class))
							.startsWith("localhost-");
						requests.incrementAndGet();
					}
					catch (Throwable ex) {
						failures.incrementAndGet();
					}
				}
			});
			for (int generation = 1; generation <= 5; generation++) {
				TestCertificate next = identity(generation);
				publish(next, this.ca.getCaCertificatePem());
				String expectedName = "localhost-" + generation;
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(50))
					.ignoreExceptions()
					.untilAsserted(() -> {
						assertThat(serverSerial(service.port())).isEqualTo(next.getCertificate().getSerialNumber());
						RestClient fresh = service.context().getBean(RestClient.Builder.class).build();
						assertThat(fresh.get().uri(downstreamUrl).retrieve().body(String.class))
							.isEqualTo(expectedName);
					});
			}
			running.set(false);
			load.shutdown();
			assertThat(load.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

			assertThat(failures).hasValue(0);
			assertThat(requests.get()).isGreaterThan(50);
			assertThat(service.context().getBean(MtlsTlsMaterial.class).getReloadCount()).isGreaterThanOrEqualTo(5);
		}
	}

	@Test
	void rotationWhenMtlsBundleReloadsOnUpdateThenNewConnectionsUseIt() throws Exception {
		try (TestService service = TestService.start("mtls.bundle=service",
				"spring.ssl.bundle.pem.service.keystore.certificate=file:" + this.secret.resolve("tls.crt"),
				"spring.ssl.bundle.pem.service.keystore.private-key=file:" + this.secret.resolve("tls.key"),
				"spring.ssl.bundle.pem.service.truststore.certificate=file:" + this.secret.resolve("ca.crt"),
				"spring.ssl.bundle.pem.service.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=200ms")) {
			TestCertificate next = identity(1);
			publish(next, this.ca.getCaCertificatePem());

			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(serverSerial(service.port()))
					.isEqualTo(next.getCertificate().getSerialNumber()));
		}
	}

	@Test
	void revocationWhenCrlReloadedThenSessionOfRevokedClientNotResumedAndRefusedInHandshake(CapturedOutput output)
			throws Exception {
		this.ca.writeCrl();
		String[] properties = Stream
			.concat(Arrays.stream(rotatingProperties()),
					Stream.of("mtls.revocation.crls=" + this.ca.fileLocation("ca.crl")))
			.toArray(String[]::new);
		try (TestService service = TestService.start(properties)) {
			MtlsTlsMaterial material = service.context().getBean(MtlsTlsMaterial.class);
			CountingKeyManager aliceKeys = new CountingKeyManager(this.aliceCertificate);
			SSLContext alice = SSLContext.getInstance("TLS");
			alice.init(new KeyManager[] { aliceKeys }, this.ca.trustOnlySslBundle().getManagers().getTrustManagers(),
					null);
			assertThat(TlsProbe.get(alice, service.port(), "/whoami")).startsWith("HTTP/1.1 200");
			assertThat(TlsProbe.get(alice, service.port(), "/whoami")).startsWith("HTTP/1.1 200");
			// The client presents its certificate in full handshakes only: the second was
			// resumed.
			assertThat(aliceKeys.certificatesPresented()).isOne();

			this.ca.revoke(this.alice);
			this.ca.writeCrl();
			await().atMost(Duration.ofSeconds(10)).until(() -> material.getReloadCount() >= 1);

			HandshakeRefusal.assertRefused(() -> TlsProbe.get(alice, service.port(), "/whoami"), output, "revoked");
			assertThat(aliceKeys.certificatesPresented()).isEqualTo(2);
		}
	}

	@Test
	void rotationWhenTrustGainsCaThenItsClientsAccepted() throws Exception {
		// Another CA than the test CA, with a name of its own, as a trust rotation has.
		CertificateAuthority newCa = CertificateAuthority.create("New CA");
		IssuedCertificate carol = newCa.certificate("carol").clientAuth().issue();
		SSLContext carolTrustingTestCa = SslBundle
			.of(SslStoreBundle.of(carol.toKeyStore("PKCS12", "carol", "secret"), "secret", this.ca.getTrustStore()),
					SslBundleKey.of("secret", "carol"))
			.createSslContext();
		try (TestService service = TestService.start(rotatingProperties())) {
			publish(identity(1), this.ca.getCaCertificatePem() + newCa.asIssued().certificatePem());

			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(TlsProbe.get(carolTrustingTestCa, service.port(), "/whoami"))
					.endsWith("carol"));
		}
	}

	@Test
	void rotationWhenReplacementBrokenThenLastGoodKeptAndFixPickedUp(CapturedOutput output) throws Exception {
		try (TestService service = TestService.start(rotatingProperties())) {
			MtlsTlsMaterial material = service.context().getBean(MtlsTlsMaterial.class);
			BigInteger original = serverSerial(service.port());
			TestCertificate other = identity(1);

			publish("garbage", "garbage", this.ca.getCaCertificatePem());
			await().atMost(Duration.ofSeconds(10)).until(() -> material.getReloadFailureCount() >= 1);
			publish(other.getCertificatePem(), identity(2).getPrivateKeyPem(), this.ca.getCaCertificatePem());
			await().atMost(Duration.ofSeconds(10)).until(() -> material.getReloadFailureCount() >= 2);

			assertThat(serverSerial(service.port())).isEqualTo(original);
			assertThat(output).contains("mTLS material not reloaded, the previous material stays in use")
				.contains("tls.crt")
				.contains("does not match the certificate");
			assertThat(material.getLastReloadFailure()).contains("does not match");

			TestCertificate fixed = identity(3);
			publish(fixed, this.ca.getCaCertificatePem());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(serverSerial(service.port()))
					.isEqualTo(fixed.getCertificate().getSerialNumber()));
			assertThat(material.getLastReloadFailure()).isNull();
		}
	}

}
