package dev.mtls.it;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.spiffe.TestWorkloadApi;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.RequiresDocker;
import dev.mtls.it.support.SampleService;
import dev.mtls.it.support.SampleService.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.lifecycle.Startables;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sample services in containers, a Spring MVC one and a WebFlux one, each taking its
 * identity and trust from its own SPIFFE Workload API agent (two agents of one trust
 * domain, as SPIRE runs one per node, served by {@link TestWorkloadApi} from this JVM on
 * Unix sockets mounted into the containers). Each calls the other, checking the server's
 * SPIFFE ID instead of a host name (their SVIDs name no IP address), and each allows only
 * the other's SPIFFE ID on {@code /hello}. Their SVIDs live 12 seconds and are renewed
 * every 4 seconds throughout, while requests keep coming.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpiffeServicesIT {

	private static final String SERVICE_A = "spiffe://example.org/service-a";

	private static final String SERVICE_B = "spiffe://example.org/service-b";

	private static final String OPERATOR = "spiffe://example.org/operator";

	private static final Duration SVID_VALIDITY = Duration.ofSeconds(12);

	private static final Duration ROTATION_PERIOD = Duration.ofSeconds(4);

	private final ScheduledExecutorService rotation = Executors.newSingleThreadScheduledExecutor();

	Path directory;

	TestWorkloadApi agentA;

	TestWorkloadApi agentB;

	IssuedCertificate operator;

	int portA;

	int portB;

	GenericContainer<?> serviceA;

	GenericContainer<?> serviceB;

	@BeforeAll
	void start() throws IOException {
		this.directory = Files.createTempDirectory("mtls-spiffe-it-");
		// Short-lived SVIDs renewed at a third of their life, all along: SPIRE's rhythm,
		// sped up.
		this.agentA = TestWorkloadApi.start(this.directory.resolve("agent-a.sock"), "example.org")
			.validFor(SVID_VALIDITY);
		this.agentB = this.agentA.startPeer(this.directory.resolve("agent-b.sock"));
		// localhost for this test's own client; each other at 127.0.0.1, by SPIFFE ID.
		this.agentA.issue(SERVICE_A, "localhost");
		this.agentB.issue(SERVICE_B, "localhost");
		this.rotation.scheduleAtFixedRate(() -> {
			this.agentA.rotate();
			this.agentB.rotate();
		}, ROTATION_PERIOD.toMillis(), ROTATION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
		this.operator = this.agentA.getAuthority()
			.certificate("operator")
			.withoutCommonName()
			.uris(OPERATOR)
			.clientAuth()
			.issue();
		this.portA = Containers.freePort();
		this.portB = Containers.freePort();
		this.serviceA = SampleService.createWithSpiffe(Stack.SERVLET, this.directory.resolve("agent-a.sock"),
				this.portA, arguments(this.portB, SERVICE_B).toArray(String[]::new));
		this.serviceB = SampleService.createWithSpiffe(Stack.REACTIVE, this.directory.resolve("agent-b.sock"),
				this.portB, arguments(this.portA, SERVICE_A).toArray(String[]::new));
		Startables.deepStart(this.serviceA, this.serviceB).join();
	}

	private static List<String> arguments(int peerPort, String peer) {
		return List.of("--sample.downstream=https://127.0.0.1:" + peerPort + "/hello",
				"--mtls.spiffe.expected-servers[127.0.0.1]=" + peer, "--mtls.authorization.rules[0].paths=/hello",
				"--mtls.authorization.rules[0].allow=" + peer, "--mtls.authorization.rules[1].paths=/call,/actuator/**",
				"--mtls.authorization.rules[1].allow=" + OPERATOR, "--management.endpoints.web.exposure.include=mtls");
	}

	@AfterAll
	void stop() throws IOException {
		this.rotation.shutdownNow();
		for (GenericContainer<?> service : new GenericContainer<?>[] { this.serviceA, this.serviceB }) {
			if (service != null) {
				service.stop();
			}
		}
		for (TestWorkloadApi agent : new TestWorkloadApi[] { this.agentA, this.agentB }) {
			if (agent != null) {
				agent.close();
			}
		}
		if (this.directory != null) {
			FileSystemUtils.deleteRecursively(this.directory);
		}
	}

	@Test
	void callWhenEachServiceCallsTheOtherThenEachIsNamedByItsSpiffeId() throws Exception {
		HttpClient client = operatorClient();

		assertThat(get(client, this.portA, "/call")).contains("\"hello\":\"" + SERVICE_A + "\"")
			.contains("\"spiffeId\":\"" + SERVICE_A + "\"");
		assertThat(get(client, this.portB, "/call")).contains("\"hello\":\"" + SERVICE_B + "\"");
	}

	@Test
	void helloWhenCalledByOperatorInsteadOfThePeerServiceThen403() throws Exception {
		HttpClient client = operatorClient();

		assertThat(status(client, this.portA, "/hello")).isEqualTo(403);
		assertThat(status(client, this.portB, "/hello")).isEqualTo(403);
	}

	@Test
	void rotationWhenShortLivedSvidsRotateUnderLoadThenNoCallFailsPastAnyExpiry() throws Exception {
		// The load runs longer than two SVID lifetimes on kept-alive connections, inbound
		// and outbound: a connection kept past the expiry of the SVID it was opened with
		// would be refused by the peer's per-request check. Each server asks for a new
		// connection in the last quarter of the client's SVID (ConnectionRenewal).
		HttpClient pooled = operatorClient();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger calls = new AtomicInteger();
		List<String> failures = new CopyOnWriteArrayList<>();
		Thread load = new Thread(() -> {
			while (running.get()) {
				for (int port : new int[] { this.portA, this.portB }) {
					try {
						int status = status(pooled, port, "/call");
						if (status != 200) {
							failures.add(port + ": " + status);
						}
						calls.incrementAndGet();
					}
					catch (Exception ex) {
						failures.add(port + ": " + ex);
					}
				}
			}
		}, "spiffe-it-load");
		Set<BigInteger> servedByA = new HashSet<>();
		Set<BigInteger> servedByB = new HashSet<>();
		load.start();
		try {
			long end = System.nanoTime() + SVID_VALIDITY.multipliedBy(2).plusSeconds(2).toNanos();
			while (System.nanoTime() < end) {
				servedByA.add(servedSerial(this.portA));
				servedByB.add(servedSerial(this.portB));
				Thread.sleep(1_000);
			}
		}
		finally {
			running.set(false);
			load.join(30_000);
		}
		assertThat(failures).isEmpty();
		assertThat(calls.get()).isGreaterThanOrEqualTo(50);
		// New connections got the new SVIDs: one every rotation period.
		assertThat(servedByA).hasSizeGreaterThanOrEqualTo(4);
		assertThat(servedByB).hasSizeGreaterThanOrEqualTo(4);
	}

	// A new client, so a new connection: the certificate the server presents now.
	private BigInteger servedSerial(int port) throws Exception {
		HttpResponse<String> response = operatorClient().send(request(port, "/call"),
				HttpResponse.BodyHandlers.ofString());
		X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
		return served.getSerialNumber();
	}

	private HttpClient operatorClient() throws GeneralSecurityException, IOException {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(this.operator.toKeyStore("PKCS12", "operator", "secret"), "secret".toCharArray());
		KeyStore anchors = KeyStore.getInstance("PKCS12");
		anchors.load(null, null);
		anchors.setCertificateEntry("ca", this.agentA.getAuthority().getCertificate());
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(anchors);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	private static String get(HttpClient client, int port, String path) throws Exception {
		HttpResponse<String> response = client.send(request(port, path), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + " on " + port + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private static int status(HttpClient client, int port, String path) throws Exception {
		return client.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
