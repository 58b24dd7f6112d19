package dev.mtls.boot.servers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reload storm: the identity, trust and CRL files rewritten in place 100 times in 10 s,
 * every other time broken (a truncated certificate, a key of another certificate, a trust
 * file without a certificate, a CRL of garbage), with a quiet period short enough that
 * most writes are read, half-written files included. Under continuous load no request
 * fails, the server always serves material that loaded, the last good material after a
 * broken write, and no thread or file descriptor is left behind.
 */
abstract class ReloadStormSuite extends ServerSuite {

	private static final int CLIENTS = 3;

	private static final int WRITES = 100;

	private static final Duration INTERVAL = Duration.ofMillis(100);

	private static final Duration RELOAD_BOUND = Duration.ofSeconds(10);

	private TestCertificate alice;

	private Path directory;

	private int generation;

	ReloadStormSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) throws IOException {
		this.alice = ca.client("alice");
		this.directory = Files.createDirectories(ca.getDirectory().resolve("storm"));
		writeGood(identity());
		return new String[] { "mtls.identity.certificate=file:" + this.directory.resolve("tls.crt"),
				"mtls.identity.private-key=file:" + this.directory.resolve("tls.key"),
				"mtls.trust.certificates=file:" + this.directory.resolve("ca.crt"),
				"mtls.revocation.crls=file:" + this.directory.resolve("ca.crl"), "mtls.reload.quiet-period=20ms" };
	}

	@Test
	void stormWhenHalfTheWritesBrokenThenNoRequestFailsLastGoodServedAndNothingLeaks() throws Exception {
		MtlsTlsMaterial material = this.service.context().getBean(MtlsTlsMaterial.class);
		assertThat(get(this.alice, "/whoami").body()).isEqualTo("alice");
		long threadsBefore;
		long descriptorsBefore;
		long reloadsBefore = material.getReloadCount();
		long failuresBefore = material.getReloadFailureCount();
		TestCertificate lastGood;
		try (Load load = Load.start(CLIENTS, this::aliceRequest)) {
			load.awaitMoreRequests(10);
			// Counted under load, the server's pools grown to it (the load's own threads
			// included, gone afterwards): a leak per reload would add dozens.
			threadsBefore = threads();
			descriptorsBefore = openFileDescriptors();
			for (int i = 0; i < WRITES; i++) {
				if (i % 2 == 0) {
					writeGood(identity());
				}
				else {
					writeBroken(i / 2);
				}
				Thread.sleep(INTERVAL.toMillis());
			}
			lastGood = identity();
			writeGood(lastGood);
			awaitServed(lastGood);
			long failures = material.getReloadFailureCount();
			writeBroken(0);
			await().atMost(RELOAD_BOUND).until(() -> material.getReloadFailureCount() > failures);
			assertThat(servedSerial(this.alice)).isEqualTo(lastGood.getCertificate().getSerialNumber());
			load.awaitMoreRequests(10);
			load.stopAndAssertNoFailures();
		}
		System.out.printf("%s reload storm: %d reloads, %d refused; threads %d -> %d, file descriptors %d -> %d%n",
				this.server, material.getReloadCount() - reloadsBefore,
				material.getReloadFailureCount() - failuresBefore, threadsBefore, threads(), descriptorsBefore,
				openFileDescriptors());
		assertThat(material.getReloadFailureCount() - failuresBefore).as("broken writes refused").isPositive();
		assertThat(material.getReloadCount() - reloadsBefore).as("good writes loaded").isGreaterThan(1);
		// Connections of the load close on their own schedule.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(threads()).as("threads").isLessThanOrEqualTo(threadsBefore + 10);
			assertThat(openFileDescriptors()).as("open file descriptors").isLessThanOrEqualTo(descriptorsBefore + 20);
		});
	}

	private Object aliceRequest() throws IOException {
		return assertServedAs(this.alice, "alice");
	}

	private TestCertificate identity() {
		return serverIdentity(this.generation++);
	}

	/**
	 * Rewrite the four files in place, one after the other, as a careless deployment
	 * does: a reload may read them half-written or mixed.
	 */
	private void writeGood(TestCertificate identity) throws IOException {
		Files.writeString(this.directory.resolve("tls.crt"), identity.getCertificatePem());
		Files.writeString(this.directory.resolve("tls.key"), identity.getPrivateKeyPem());
		Files.writeString(this.directory.resolve("ca.crt"), this.ca.getCaCertificatePem());
		Files.writeString(this.directory.resolve("ca.crl"), this.ca.getCrlPem());
	}

	private void writeBroken(int kind) throws IOException {
		switch (kind % 4) {
			case 0 -> Files.writeString(this.directory.resolve("tls.key"), identity().getPrivateKeyPem());
			case 1 -> {
				String certificate = identity().getCertificatePem();
				Files.writeString(this.directory.resolve("tls.crt"),
						certificate.substring(0, certificate.length() / 2));
			}
			case 2 -> Files.writeString(this.directory.resolve("ca.crt"), "no certificate here\n");
			default -> Files.writeString(this.directory.resolve("ca.crl"),
					"-----BEGIN X509 CRL-----\nZ2FyYmFnZQ==\n-----END X509 CRL-----\n");
		}
	}

	private void awaitServed(TestCertificate identity) {
		await().atMost(RELOAD_BOUND)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.untilAsserted(
					() -> assertThat(servedSerial(this.alice)).isEqualTo(identity.getCertificate().getSerialNumber()));
	}

	private static long threads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static long openFileDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

}
