package dev.mtls.benchmarks.startup;

import java.util.concurrent.TimeUnit;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The bare minting cost of the test module, warm: a {@link TestCertificateAuthority} (EC
 * P-256 root CA, issuing CA and server certificate), the same with the PEM texts an
 * {@code @AutoConfigureTestCertificates} context reads from it (server chain and key,
 * root certificate, CRL), and one client persona.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TestCertificateMintingBenchmark {

	private TestCertificateAuthority authority;

	@Setup
	public void createAuthority() {
		this.authority = TestCertificateAuthority.create();
	}

	@TearDown
	public void closeAuthority() {
		this.authority.close();
	}

	@Benchmark
	public TestCertificateAuthority authority() {
		try (TestCertificateAuthority authority = TestCertificateAuthority.create()) {
			return authority;
		}
	}

	@Benchmark
	public void authorityAsServed(Blackhole blackhole) {
		mintAsServed(blackhole);
	}

	/**
	 * Mint a test CA and the PEM texts an {@code @AutoConfigureTestCertificates} context
	 * reads from it, as its context customizer does.
	 * @param blackhole takes the texts
	 */
	static void mintAsServed(Blackhole blackhole) {
		try (TestCertificateAuthority authority = TestCertificateAuthority.create()) {
			TestCertificate server = authority.getServerCertificate();
			blackhole.consume(server.getCertificatePem());
			blackhole.consume(server.getPrivateKeyPem());
			blackhole.consume(authority.getCaCertificatePem());
			blackhole.consume(authority.getCrlPem());
		}
	}

	@Benchmark
	public TestCertificate persona() {
		return this.authority.client("alice");
	}

}
