package dev.mtls.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
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

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;

/**
 * What Spring Security's own observations add to one request through the starter's
 * default security filter chain and Spring MVC, with Actuator's defaults (each
 * observation a timer in the meter registry, no tracing): in process, through MockMvc, so
 * without TLS, Tomcat or the network; {@code observations=false} sets Spring Boot's
 * {@code management.observations.enable.spring.security=false}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SecurityObservationsBenchmark {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	@Param({ "true", "false" })
	public boolean observations;

	private ConfigurableApplicationContext context;

	private MockMvc mvc;

	private X509Certificate[] chain;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private long cpuNanos;

	private long calls;

	@Setup
	public void start() throws Exception {
		Path directory = Files.createTempDirectory("mtls-observations");
		CertificateAuthority ca = CertificateAuthority.create("Bench CA");
		IssuedCertificate server = ca.certificate("localhost").dnsNames("localhost").serverAuth().clientAuth().issue();
		server.writeCertificate(directory.resolve("server.crt"));
		server.writePrivateKey(directory.resolve("server.key"));
		ca.asIssued().writeCertificate(directory.resolve("ca.crt"));
		this.chain = ca.certificate("bench-client").clientAuth().issue().getChain().toArray(X509Certificate[]::new);
		this.context = new SpringApplicationBuilder(ObservedApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"logging.level.root=warn", "mtls.reload.enabled=false",
					"mtls.identity.certificate=file:" + directory.resolve("server.crt"),
					"mtls.identity.private-key=file:" + directory.resolve("server.key"),
					"mtls.trust.certificates=file:" + directory.resolve("ca.crt"),
					"mtls.authorization.rules[0].paths=/hello", "mtls.authorization.rules[0].allow=cn:bench-*",
					"management.observations.enable.spring.security=" + this.observations)
			.run();
		Filter security = this.context.getBean("springSecurityFilterChain", Filter.class);
		this.mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) this.context)
			.addFilters(security)
			.build();
		check();
	}

	// Measure what the name says: an authenticated 200, observed only when asked to be.
	private void check() throws Exception {
		if (hello() != 200) {
			throw new IllegalStateException("GET /hello did not answer 200");
		}
		boolean observed = this.context.getBean(MeterRegistry.class)
			.find("spring.security.filterchains")
			.timer() != null;
		if (observed != this.observations) {
			throw new IllegalStateException("Spring Security observations " + (observed ? "present" : "absent"));
		}
	}

	@TearDown
	public void stop() throws IOException {
		this.context.close();
	}

	@Setup(Level.Iteration)
	public void resetCpuTime() {
		this.cpuNanos = 0;
		this.calls = 0;
	}

	@TearDown(Level.Iteration)
	public void reportCpuTime() {
		if (this.calls > 0) {
			System.out.printf(" [CPU time %.1f us/op over %d ops]%n", this.cpuNanos / 1000.0 / this.calls, this.calls);
		}
	}

	@Benchmark
	public int hello() throws Exception {
		MockHttpServletRequestBuilder request = MockMvcRequestBuilders.get("/hello").with((servletRequest) -> {
			servletRequest.setAttribute(CERTIFICATES_ATTRIBUTE, this.chain);
			return servletRequest;
		});
		return this.mvc.perform(request).andReturn().getResponse().getStatus();
	}

	/**
	 * As {@link #hello()}, also counting the calling thread's CPU time, which other load
	 * on the machine does not inflate as it does the elapsed time; printed per iteration.
	 * @return the status
	 * @throws Exception if the request fails
	 */
	@Benchmark
	public int helloCpuTime() throws Exception {
		long start = this.threads.getCurrentThreadCpuTime();
		int status = hello();
		this.cpuNanos += this.threads.getCurrentThreadCpuTime() - start;
		this.calls++;
		return status;
	}

	@SpringBootApplication
	@RestController
	public static class ObservedApplication {

		@GetMapping("/hello")
		String hello(Principal principal) {
			return "hello " + principal.getName();
		}

	}

}
