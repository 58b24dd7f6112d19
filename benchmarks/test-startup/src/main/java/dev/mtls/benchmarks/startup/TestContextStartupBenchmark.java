package dev.mtls.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.mtls.benchmarks.startup.app.StartupApplication;
import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.MtlsMockMvc;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificates;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * What {@link AutoConfigureTestCertificates @AutoConfigureTestCertificates} adds to the
 * start-up of a Spring test context: the same {@code @SpringBootTest} of a small service
 * (Spring MVC, Spring Security, the starter, {@code @AutoConfigureMockMvc}, no Actuator)
 * started through Spring's {@link TestContextManager}, as JUnit's {@code SpringExtension}
 * does, so that the context customizers and the context cache run as in a test suite;
 * {@code material=annotation} with the annotation, {@code material=files} with the
 * identity and trust as PEM files that
 * {@link TestCertificateAuthority#writeServiceProperties(String...)} wrote beforehand, in
 * the JMH host JVM ({@link StartupBenchmarks}), so that the JVM that starts the context
 * has not minted anything nor loaded BouncyCastle's minting classes.
 * <p>
 * {@link #cold()} measures the first context of a fresh JVM (one start per fork, hence
 * many forks); {@link #warm()} a new context in a JVM that has started others (each
 * iteration one context, closed after it as {@code @DirtiesContext} closes it). Besides
 * the elapsed time (the score), {@link StartupCpuProfiler} reports the CPU time of the
 * starting thread and of the whole process. After each start, a request as a client of
 * the same CA must be answered 200 and one without a certificate 401.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TestContextStartupBenchmark {

	static final String PEM_DIRECTORY_PROPERTY = "mtls.benchmark.pem-directory";

	private static final String CLIENT = "bench-client";

	private static final String IDENTITY_CERTIFICATE = "mtls.identity.certificate=file:${" + PEM_DIRECTORY_PROPERTY
			+ "}/server.crt";

	private static final String IDENTITY_PRIVATE_KEY = "mtls.identity.private-key=file:${" + PEM_DIRECTORY_PROPERTY
			+ "}/server.key";

	private static final String TRUST_CERTIFICATES = "mtls.trust.certificates=file:${" + PEM_DIRECTORY_PROPERTY
			+ "}/ca.crt";

	@Param({ "annotation", "files" })
	public String material;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

	private ObjectName operatingSystem;

	private Path pemDirectory;

	private TestContextManager manager;

	/**
	 * Write the PEM files of {@code material=files}, and a client certificate of the same
	 * CA for the check; run by {@link StartupBenchmarks} before the forks start, so that
	 * the JVM that starts the context has not minted anything.
	 * @param directory where to write them
	 */
	static void writePemFiles(Path directory) {
		try (TestCertificateAuthority ca = TestCertificateAuthority.create(directory)) {
			List<String> written = List.of(ca.writeServiceProperties());
			List<String> read = Stream.of(IDENTITY_CERTIFICATE, IDENTITY_PRIVATE_KEY, TRUST_CERTIFICATES)
				.map((property) -> property.replace("${" + PEM_DIRECTORY_PROPERTY + "}", directory.toString()))
				.toList();
			if (!written.equals(read)) {
				throw new IllegalStateException(
						"writeServiceProperties() gave " + written + ", the test reads " + read);
			}
			ca.writePem(CLIENT, ca.client(CLIENT));
		}
	}

	@Setup(Level.Trial)
	public void findPemFiles() throws Exception {
		String directory = System.getProperty(PEM_DIRECTORY_PROPERTY);
		if (directory == null || !Files.isRegularFile(Path.of(directory, CLIENT + ".crt"))) {
			throw new IllegalStateException(PEM_DIRECTORY_PROPERTY + " names no PEM files: run the benchmark through "
					+ StartupBenchmarks.class.getName() + ", the jar's main class");
		}
		this.pemDirectory = Path.of(directory);
		// Load the measuring code's own classes outside the measurement.
		this.operatingSystem = new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
		this.threads.getCurrentThreadCpuTime();
		processCpuTime();
	}

	/**
	 * Start the first test context of a fresh JVM.
	 * @return the context
	 * @throws Exception if it fails to start
	 */
	@Benchmark
	@Fork(20)
	@Warmup(iterations = 0)
	@Measurement(iterations = 1)
	public ApplicationContext cold() throws Exception {
		return start();
	}

	/**
	 * Start a new test context in a JVM that has started and closed others.
	 * @return the context
	 * @throws Exception if it fails to start
	 */
	@Benchmark
	@Fork(4)
	@Warmup(iterations = 10)
	@Measurement(iterations = 20)
	public ApplicationContext warm() throws Exception {
		return start();
	}

	private ApplicationContext start() throws Exception {
		long thread = this.threads.getCurrentThreadCpuTime();
		long process = processCpuTime();
		Class<?> testClass = "annotation".equals(this.material) ? AnnotatedTest.class : PemFilesTest.class;
		TestContextManager manager = new TestContextManager(testClass);
		manager.beforeTestClass();
		manager.prepareTestInstance(testClass.getDeclaredConstructor().newInstance());
		ApplicationContext context = manager.getTestContext().getApplicationContext();
		long processCpu = processCpuTime() - process;
		StartupCpuProfiler.record(this.threads.getCurrentThreadCpuTime() - thread, processCpu);
		this.manager = manager;
		return context;
	}

	// The JDK's com.sun.management.OperatingSystemMXBean, without importing it.
	private long processCpuTime() throws Exception {
		return (Long) this.server.getAttribute(this.operatingSystem, "ProcessCpuTime");
	}

	/**
	 * Check that the context serves the CA's client, and close it, so that the next start
	 * creates a new one.
	 * @throws Exception if the check fails
	 */
	@TearDown(Level.Iteration)
	public void checkAndClose() throws Exception {
		ApplicationContext context = this.manager.getTestContext().getApplicationContext();
		check(context);
		this.manager.afterTestClass();
		this.manager.getTestContext().markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
		this.manager = null;
	}

	// Measure what the name says: the annotation's CA on one side only, and a context
	// that authenticates a client of the CA it trusts.
	private void check(ApplicationContext context) throws Exception {
		boolean annotated = context.containsBean("testCertificates");
		if (annotated != "annotation".equals(this.material)) {
			throw new IllegalStateException("The test CA bean is " + (annotated ? "present" : "absent"));
		}
		List<X509Certificate> identity = context.getBean(MtlsTlsMaterial.class).getIdentityChain();
		if (!identity.get(0).getSubjectX500Principal().getName().equals("CN=localhost")) {
			throw new IllegalStateException("Unexpected identity " + identity.get(0).getSubjectX500Principal());
		}
		List<X509Certificate> client = annotated ? context.getBean(TestCertificates.class).client(CLIENT).getChain()
				: PemContent.load(this.pemDirectory.resolve(CLIENT + ".crt")).getCertificates();
		MockMvc mvc = context.getBean(MockMvc.class);
		MvcResult hello = mvc.perform(MockMvcRequestBuilders.get("/hello").with(MtlsMockMvc.chain(client))).andReturn();
		int anonymous = mvc.perform(MockMvcRequestBuilders.get("/hello")).andReturn().getResponse().getStatus();
		if (hello.getResponse().getStatus() != 200
				|| !hello.getResponse().getContentAsString().equals("hello " + CLIENT) || anonymous != 401) {
			throw new IllegalStateException("GET /hello answered " + hello.getResponse().getStatus() + " "
					+ hello.getResponse().getContentAsString() + " as " + CLIENT + ", " + anonymous + " without");
		}
	}

	@SpringBootTest(classes = StartupApplication.class,
			properties = { "spring.main.banner-mode=off", "logging.level.root=warn",
					"mtls.authorization.rules[0].paths=/hello", "mtls.authorization.rules[0].allow=cn:bench-*" })
	@AutoConfigureMockMvc
	@AutoConfigureTestCertificates
	public static class AnnotatedTest {

	}

	@SpringBootTest(classes = StartupApplication.class,
			properties = { "spring.main.banner-mode=off", "logging.level.root=warn",
					"mtls.authorization.rules[0].paths=/hello", "mtls.authorization.rules[0].allow=cn:bench-*",
					IDENTITY_CERTIFICATE, IDENTITY_PRIVATE_KEY, TRUST_CERTIFICATES })
	@AutoConfigureMockMvc
	public static class PemFilesTest {

	}

}
