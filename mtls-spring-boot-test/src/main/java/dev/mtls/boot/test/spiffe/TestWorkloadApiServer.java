package dev.mtls.boot.test.spiffe;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.mtls.boot.pki.IssuedCertificate;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.StringUtils;

/**
 * Runs {@link TestWorkloadApi} agents on their own, outside a test, so that any
 * application (one outside this repository too) can be pointed at a Workload API: one
 * agent per workload, all of one trust domain under one CA, rotating every SVID at a
 * fixed rate. Stop it with Ctrl-C.
 *
 * <pre class="code">
 * java -cp "$CLASSPATH" dev.mtls.boot.test.spiffe.TestWorkloadApiServer \
 *     --workload=/tmp/spire/orders.sock=spiffe://example.org/orders \
 *     --workload=/tmp/spire/client.sock=spiffe://example.org/client \
 *     --rotate-every=30s --pem-dir=/tmp/spire/pem
 * </pre>
 *
 * Options: {@code --workload=<socket path>=<SPIFFE ID>[,<DNS name>...]} (at least one;
 * every ID of one trust domain; DNS names let clients that check host names, such as
 * curl, call the workload), {@code --rotate-every=<duration>} (no rotation without it),
 * {@code --validity=<duration>} (of each SVID, 1h by default) and
 * {@code --pem-dir=<directory>}, where the bundle ({@code bundle.crt}) and each
 * workload's current SVID ({@code <socket name>.crt} and {@code .key}) are written, for
 * clients such as curl. Durations as Spring Boot reads them ({@code 30s}, {@code PT30S}).
 *
 * @since 0.1.0
 */
public final class TestWorkloadApiServer {

	private static final String USAGE = "Usage: TestWorkloadApiServer --workload=<socket path>=<SPIFFE ID>[,<DNS name>...]"
			+ " [--workload=...] [--rotate-every=<duration>] [--validity=<duration>] [--pem-dir=<directory>]";

	private final List<Workload> workloads;

	private final @Nullable Duration rotateEvery;

	private final Duration validity;

	private final @Nullable Path pemDirectory;

	private final PrintStream out;

	private final List<TestWorkloadApi> agents = new ArrayList<>();

	private final ScheduledExecutorService rotation = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "test-workload-api-rotation");
		thread.setDaemon(true);
		return thread;
	});

	TestWorkloadApiServer(List<Workload> workloads, @Nullable Duration rotateEvery, Duration validity,
			@Nullable Path pemDirectory, PrintStream out) {
		this.workloads = workloads;
		this.rotateEvery = rotateEvery;
		this.validity = validity;
		this.pemDirectory = pemDirectory;
		this.out = out;
	}

	/**
	 * Run the agents until the process is stopped.
	 * @param args the options (see the class description)
	 * @throws InterruptedException when interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		TestWorkloadApiServer server;
		try {
			server = parse(args, System.out);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(USAGE);
			System.exit(2);
			return;
		}
		try {
			server.start();
		}
		catch (RuntimeException ex) {
			// The agents started so far would keep the process alive.
			server.stop();
			System.err.println("Unable to start: " + ex.getMessage());
			System.exit(1);
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.stop();
			stopped.countDown();
		}, "test-workload-api-shutdown"));
		stopped.await();
	}

	static TestWorkloadApiServer parse(String[] args, PrintStream out) {
		List<Workload> workloads = new ArrayList<>();
		Duration rotateEvery = null;
		Duration validity = Duration.ofHours(1);
		Path pemDirectory = null;
		for (String arg : args) {
			String name = (arg.startsWith("--") && arg.contains("=")) ? arg.substring(2, arg.indexOf('=')) : "";
			String value = arg.substring(arg.indexOf('=') + 1);
			switch (name) {
				case "workload" -> {
					int separator = value.indexOf("=spiffe://");
					if (separator <= 0) {
						throw new IllegalArgumentException(
								"--workload must be <socket path>=<SPIFFE ID>[,<DNS name>...],"
										+ " such as /tmp/spire/orders.sock=spiffe://example.org/orders, not '" + value
										+ "'");
					}
					List<String> names = List.of(value.substring(separator + 1).split(","));
					workloads.add(new Workload(Path.of(value.substring(0, separator)).toAbsolutePath(), names.get(0),
							names.subList(1, names.size())));
				}
				case "rotate-every" -> rotateEvery = positive(name, value);
				case "validity" -> validity = positive(name, value);
				case "pem-dir" -> pemDirectory = Path.of(value);
				default -> throw new IllegalArgumentException("Unknown option '" + arg + "'");
			}
		}
		if (workloads.isEmpty()) {
			throw new IllegalArgumentException("At least one --workload is needed");
		}
		List<String> ids = workloads.stream().map(Workload::spiffeId).toList();
		if (ids.stream().map(TestWorkloadApiServer::trustDomain).distinct().count() > 1) {
			throw new IllegalArgumentException(
					"Every --workload SPIFFE ID must be of one trust domain, not " + String.join(", ", ids));
		}
		return new TestWorkloadApiServer(workloads, rotateEvery, validity, pemDirectory, out);
	}

	private static Duration positive(String name, String value) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("--" + name + " must be a duration, such as 30s, not '" + value + "'");
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("--" + name + " must be positive, not '" + value + "'");
		}
		return duration;
	}

	private static String trustDomain(String spiffeId) {
		String rest = spiffeId.substring("spiffe://".length());
		int slash = rest.indexOf('/');
		return (slash < 0) ? rest : rest.substring(0, slash);
	}

	/**
	 * Start one agent per workload, issue each its SVID and schedule the rotations.
	 */
	synchronized void start() {
		for (Workload workload : this.workloads) {
			createDirectories(workload.socket().getParent());
			TestWorkloadApi agent = this.agents.isEmpty()
					? TestWorkloadApi.start(workload.socket(), trustDomain(workload.spiffeId())).validFor(this.validity)
					: this.agents.get(0).startPeer(workload.socket());
			this.agents.add(agent);
			IssuedCertificate svid = agent.issue(workload.spiffeId(), workload.dnsNames().toArray(String[]::new));
			this.out
				.println("Serving " + workload.spiffeId() + " on " + agent.getEndpointSocket() + ": " + describe(svid));
			writePem(workload.socket(), agent, svid);
		}
		Duration rotateEvery = this.rotateEvery;
		if (rotateEvery != null) {
			this.rotation.scheduleAtFixedRate(this::rotate, rotateEvery.toMillis(), rotateEvery.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		this.out.println("Workload API running" + ((rotateEvery != null) ? ", rotating every " + rotateEvery : "")
				+ "; Ctrl-C stops it");
	}

	synchronized void rotate() {
		try {
			rotateAll();
		}
		catch (RuntimeException ex) {
			// A failed rotation must not end the schedule: the next one may succeed.
			this.out.println("Rotation failed: " + ex);
		}
	}

	private void rotateAll() {
		for (int i = 0; i < this.agents.size(); i++) {
			TestWorkloadApi agent = this.agents.get(i);
			IssuedCertificate svid = agent.rotate();
			this.out.println("Rotated " + this.workloads.get(i).spiffeId() + ": " + describe(svid));
			writePem(this.workloads.get(i).socket(), agent, svid);
		}
	}

	synchronized void stop() {
		this.rotation.shutdownNow();
		this.agents.forEach(TestWorkloadApi::close);
		this.agents.clear();
	}

	List<TestWorkloadApi> getAgents() {
		return this.agents;
	}

	private static String describe(IssuedCertificate svid) {
		return "SVID serial " + svid.getCertificate().getSerialNumber().toString(16) + ", valid until "
				+ svid.getCertificate().getNotAfter().toInstant();
	}

	private void writePem(Path socket, TestWorkloadApi agent, IssuedCertificate svid) {
		Path directory = this.pemDirectory;
		if (directory == null) {
			return;
		}
		createDirectories(directory);
		String name = StringUtils.stripFilenameExtension(socket.getFileName().toString());
		// The agents run under one CA and rotate no CA, so it is the whole bundle.
		replace(directory.resolve("bundle.crt"), agent.getAuthority().asIssued()::writeCertificate);
		replace(directory.resolve(name + ".crt"), svid::writeCertificate);
		replace(directory.resolve(name + ".key"), svid::writePrivateKey);
	}

	// Written beside and moved into place, so that a reader never sees half a file.
	private static void replace(Path file, UnaryOperator<Path> writer) {
		try {
			Path written = writer.apply(file.resolveSibling(file.getFileName() + ".tmp"));
			Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to write " + file, ex);
		}
	}

	private static void createDirectories(@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to create " + directory, ex);
		}
	}

	record Workload(Path socket, String spiffeId, List<String> dnsNames) {
	}

}
