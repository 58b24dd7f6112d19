package dev.mtls.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

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

import org.springframework.test.context.TestContextManager;

/**
 * The work {@code @AutoConfigureTestCertificates} adds to the first test context of a
 * JVM, on one thread: a fresh JVM first starts the {@code files} context of
 * {@link TestContextStartupBenchmark} (not timed, so the starter, Spring and the PEM
 * parsing are loaded as in any test), then the measurement mints a test CA and the PEM
 * texts a context reads from it, as the context customizer does. This is the cold cost of
 * minting itself (BouncyCastle's minting classes, the JDK's first elliptic-curve key
 * generation and signatures), without the context start-up around it, whose noise on a
 * shared machine is larger than the cost. {@link StartupCpuProfiler} reports the thread's
 * CPU time, which other processes disturb least.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ColdMintingBenchmark {

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private TestContextManager manager;

	@Setup
	public void startFilesContext() throws Exception {
		this.manager = new TestContextManager(TestContextStartupBenchmark.PemFilesTest.class);
		this.manager.beforeTestClass();
		this.manager.prepareTestInstance(new TestContextStartupBenchmark.PemFilesTest());
		this.threads.getCurrentThreadCpuTime();
	}

	@TearDown
	public void closeFilesContext() throws Exception {
		this.manager.afterTestClass();
	}

	@Benchmark
	@Fork(20)
	@Warmup(iterations = 0)
	@Measurement(iterations = 1)
	public void firstTestAuthority(Blackhole blackhole) {
		long thread = this.threads.getCurrentThreadCpuTime();
		TestCertificateMintingBenchmark.mintAsServed(blackhole);
		StartupCpuProfiler.record(this.threads.getCurrentThreadCpuTime() - thread, 0);
	}

}
