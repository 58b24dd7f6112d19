package dev.mtls.boot.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.CountingKeyManager;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reload of the identity, the trust and the CRL while clients keep making requests: the
 * files are replaced as Kubernetes does it (a {@code ..data} symbolic link swapped
 * atomically), no request fails (neither on new connections nor on an established one),
 * and new connections get the new material within a bounded time.
 */
abstract class ReloadSuite extends ServerSuite {

	private static final int CLIENTS = 3;

	/**
	 * Requests made before and after each change.
	 */
	private static final int LOAD_PER_STEP = 15;

	private static final Duration RELOAD_BOUND = Duration.ofSeconds(10);

	TestCertificate alice;

	Path secret;

	int version;

	int generation;

	ReloadSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) throws IOException {
		this.alice = ca.client("alice");
		this.secret = Files.createDirectories(ca.getDirectory().resolve("secret"));
		publish(identity(), ca.getCaCertificatePem());
		for (String file : new String[] { "tls.crt", "tls.key", "ca.crt" }) {
			Files.createSymbolicLink(this.secret.resolve(file), Path.of("..data", file));
		}
		ca.writeCrl();
		return new String[] { "mtls.identity.certificate=file:" + this.secret.resolve("tls.crt"),
				"mtls.identity.private-key=file:" + this.secret.resolve("tls.key"),
				"mtls.trust.certificates=file:" + this.secret.resolve("ca.crt"),
				"mtls.revocation.crls=" + ca.fileLocation("ca.crl"), "mtls.reload.quiet-period=200ms" };
	}

	@Test
	void identityWhenRotatedUnderLoadThenNoRequestFailsAndNewConnectionsGetIt() throws Exception {
		try (Load load = Load.start(CLIENTS, this::aliceRequest);
				KeepAliveConnection established = new KeepAliveConnection(this.alice.sslBundle().createSslContext(),
						this.service.port())) {
			assertThat(established.get("/whoami").body()).isEqualTo("alice");
			load.awaitMoreRequests(LOAD_PER_STEP);
			for (int i = 0; i < 3; i++) {
				TestCertificate next = identity();
				publish(next, this.ca.getCaCertificatePem());

				await().atMost(RELOAD_BOUND)
					.pollInterval(Duration.ofMillis(50))
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(servedSerial(this.alice))
						.isEqualTo(next.getCertificate().getSerialNumber()));
				load.awaitMoreRequests(LOAD_PER_STEP);
				// A reload ends TLS sessions for resumption, not the connections using
				// them.
				Response onEstablished = established.get("/whoami");
				assertThat(onEstablished.status()).isEqualTo(200);
				assertThat(onEstablished.body()).isEqualTo("alice");
			}
			load.stopAndAssertNoFailures();
		}
	}

	@Test
	void trustWhenRotatedUnderLoadThenClientsOfAddedCaAcceptedAndNoRequestFails() throws Exception {
		// Another CA than the test CA, with a name of its own, as a trust rotation has.
		CertificateAuthority newCa = CertificateAuthority.create("New CA " + this.server);
		IssuedCertificate carol = newCa.certificate("carol").clientAuth().issue();
		SSLContext carolTrustingTestCa = SslBundle
			.of(SslStoreBundle.of(carol.toKeyStore("PKCS12", "carol", "secret"), "secret", this.ca.getTrustStore()),
					SslBundleKey.of("secret", "carol"))
			.createSslContext();
		try (Load load = Load.start(CLIENTS, this::aliceRequest)) {
			load.awaitMoreRequests(LOAD_PER_STEP);
			publish(identity(), this.ca.getCaCertificatePem() + newCa.asIssued().certificatePem());

			// Refused until the new trust is read.
			await().atMost(RELOAD_BOUND).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() -> {
				Response response = request(carolTrustingTestCa, "GET", "/whoami");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("carol");
			});
			load.awaitMoreRequests(LOAD_PER_STEP);
			load.stopAndAssertNoFailures();
		}
	}

	@Test
	void crlWhenReloadedUnderLoadThenRevokedClientRefusedNotResumedAndNoRequestFails(CapturedOutput output)
			throws Exception {
		MtlsTlsMaterial material = this.service.context().getBean(MtlsTlsMaterial.class);
		IssuedCertificate malloryCertificate = this.ca.getIssuingAuthority()
			.certificate("mallory-" + this.server)
			.clientAuth()
			.issue();
		TestCertificate mallory = this.ca.adopt(malloryCertificate);
		// One context for all of mallory's connections: its client offers to resume the
		// session it had before the revocation. The key manager counts full handshakes.
		CountingKeyManager malloryKeys = new CountingKeyManager(malloryCertificate);
		SSLContext malloryClient = SSLContext.getInstance("TLS");
		malloryClient.init(new KeyManager[] { malloryKeys },
				this.ca.trustOnlySslBundle().getManagers().getTrustManagers(), null);
		assertThat(request(malloryClient, "GET", "/whoami").status()).isEqualTo(200);
		assertThat(request(malloryClient, "GET", "/whoami").status()).isEqualTo(200);
		// The client presents its certificate in full handshakes only: the second was
		// resumed, so the refusal below proves the reload ended that session.
		assertThat(malloryKeys.certificatesPresented()).isOne();
		try (Load load = Load.start(CLIENTS, this::aliceRequest)) {
			load.awaitMoreRequests(LOAD_PER_STEP);
			long reloads = material.getReloadCount();
			this.ca.revoke(mallory);
			this.ca.writeCrl();

			await().atMost(RELOAD_BOUND).until(() -> material.getReloadCount() > reloads);
			HandshakeRefusal.assertRefused(() -> request(malloryClient, "GET", "/whoami"), output,
					"is revoked by the CRL of 'CN=mtls Test Issuing CA'");
			assertThat(output).contains("'CN=mallory-" + this.server + "'");
			assertThat(malloryKeys.certificatesPresented()).isEqualTo(2);
			load.awaitMoreRequests(LOAD_PER_STEP);
			load.stopAndAssertNoFailures();
		}
	}

	private Object aliceRequest() throws IOException {
		return assertServedAs(this.alice, "alice");
	}

	private TestCertificate identity() {
		return serverIdentity(this.generation++);
	}

	/**
	 * Write a new version directory and swap the {@code ..data} link to it atomically.
	 */
	private void publish(TestCertificate identity, String trust) throws IOException {
		Path next = Files.createDirectories(this.secret.resolve("..v" + this.version++));
		Files.writeString(next.resolve("tls.crt"), identity.getCertificatePem());
		Files.writeString(next.resolve("tls.key"), identity.getPrivateKeyPem());
		Files.writeString(next.resolve("ca.crt"), trust);
		Path link = this.secret.resolve("..data_tmp");
		Files.createSymbolicLink(link, next.getFileName());
		Files.move(link, this.secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

}
