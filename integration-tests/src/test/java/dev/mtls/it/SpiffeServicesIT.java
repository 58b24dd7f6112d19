package dev.mtls.it;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.mtls.boot.pki.CertificateAuthority;
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
 * the other's SPIFFE ID on {@code /hello}. Their SVIDs live 12 seconds (13 with the 1 s
 * backdating) and are renewed every 4 seconds throughout, and the trust domain's CA
 * rotates every 12 seconds, while requests keep coming.
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

	private final AtomicInteger ticks = new AtomicInteger();

	private final List<String> rotationFailures = new CopyOnWriteArrayList<>();

	private volatile CertificateAuthority nextAuthority;

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
		// Valid from 1 s before minting, so that an SVID's last quarter starts 8.75 s
		// after
		// it: connections are kept alive, then renewed.
		this.agentA = TestWorkloadApi.start(this.directory.resolve("agent-a.sock"), "example.org")
			.validFor(SVID_VALIDITY)
			.backdatedBy(Duration.ofSeconds(1));
		this.agentB = this.agentA.startPeer(this.directory.resolve("agent-b.sock"));
		// localhost for this test's own client; each other at 127.0.0.1, by SPIFFE ID.
		this.agentA.issue(SERVICE_A, "localhost");
		this.agentB.issue(SERVICE_B, "localhost");
		this.operator = this.agentA.getAuthority()
			.certificate("operator")
			.withoutCommonName()
			.uris(OPERATOR)
			.clientAuth()
			.issue();
		this.rotation.scheduleAtFixedRate(this::rotate, ROTATION_PERIOD.toMillis(), ROTATION_PERIOD.toMillis(),
				TimeUnit.MILLISECONDS);
		this.portA = Containers.freePort();
		this.portB = Containers.freePort();
		this.serviceA = SampleService.createWithSpiffe(Stack.SERVLET, this.directory.resolve("agent-a.sock"),
				this.portA, arguments(this.portB, SERVICE_B).toArray(String[]::new));
		this.serviceB = SampleService.createWithSpiffe(Stack.REACTIVE, this.directory.resolve("agent-b.sock"),
				this.portB, arguments(this.portA, SERVICE_A).toArray(String[]::new));
		Startables.deepStart(this.serviceA, this.serviceB).join();
	}

	// Every period new SVIDs; every third period, the trust domain's CA rotates as a
	// SPIRE server rotates it: the next CA joins both agents' bundles a period before it
	// signs. The old CAs stay in the bundles, as until the SVIDs they signed expire.
	private void rotate() {
		try {
			int tick = this.ticks.incrementAndGet();
			if (tick % 3 == 2 && this.nextAuthority != null) {
				this.agentA.rotateAuthority(this.nextAuthority);
				this.agentB.rotateAuthority(this.nextAuthority);
				return;
			}
			if (tick % 3 == 1) {
				this.nextAuthority = this.agentA.prepareAuthority();
				this.agentB.prepareAuthority(this.nextAuthority);
			}
			this.agentA.rotate();
			this.agentB.rotate();
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: keep the cause for the
			// test.
			this.rotationFailures.add(ex.toString());
		}
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
		assertThat(get(client, this.portB, "/call")).contains("\"hello\":\"" + SERVICE_B + "\"")
			.contains("\"spiffeId\":\"" + SERVICE_B + "\"");
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
		Set<Integer> signersOfA = new HashSet<>();
		load.start();
		try {
			long end = System.nanoTime() + SVID_VALIDITY.multipliedBy(2).plusSeconds(2).toNanos();
			while (System.nanoTime() < end) {
				X509Certificate servedA = served(this.portA);
				servedByA.add(servedA.getSerialNumber());
				signersOfA.add(signer(servedA));
				servedByB.add(served(this.portB).getSerialNumber());
				Thread.sleep(1_000);
			}
		}
		finally {
			running.set(false);
			load.join(30_000);
		}
		assertThat(this.rotationFailures).isEmpty();
		assertThat(failures).isEmpty();
		assertThat(calls.get()).isGreaterThanOrEqualTo(50);
		// New connections got the new SVIDs: one every rotation period, from the CA of
		// the moment.
		assertThat(servedByA).hasSizeGreaterThanOrEqualTo(3);
		assertThat(servedByB).hasSizeGreaterThanOrEqualTo(3);
		assertThat(signersOfA).hasSizeGreaterThanOrEqualTo(2);
	}

	// A new client, so a new connection: the certificate the server presents now.
	// The index in the bundle of the CA that signed an SVID.
	private int signer(X509Certificate svid) {
		List<X509Certificate> bundle = this.agentA.getBundle();
		for (int i = 0; i < bundle.size(); i++) {
			try {
				svid.verify(bundle.get(i).getPublicKey());
				return i;
			}
			catch (GeneralSecurityException ex) {
				// Another CA's.
			}
		}
		return -1;
	}

	private X509Certificate served(int port) throws Exception {
		HttpResponse<String> response = operatorClient().send(request(port, "/call"),
				HttpResponse.BodyHandlers.ofString());
		return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
	}

	private HttpClient operatorClient() throws GeneralSecurityException, IOException {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(this.operator.toKeyStore("PKCS12", "operator", "secret"), "secret".toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), new TrustManager[] { new CurrentBundleTrustManager() }, null);
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

	/**
	 * Trusts the trust domain's bundle as it is at each handshake, as a workload of the
	 * domain does.
	 */
	private final class CurrentBundleTrustManager extends X509ExtendedTrustManager {

		private X509ExtendedTrustManager current() throws CertificateException {
			try {
				KeyStore anchors = KeyStore.getInstance("PKCS12");
				anchors.load(null, null);
				List<X509Certificate> bundle = SpiffeServicesIT.this.agentA.getBundle();
				for (int i = 0; i < bundle.size(); i++) {
					anchors.setCertificateEntry("ca-" + i, bundle.get(i));
				}
				TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trust.init(anchors);
				return (X509ExtendedTrustManager) trust.getTrustManagers()[0];
			}
			catch (GeneralSecurityException | IOException ex) {
				throw new CertificateException(ex);
			}
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			current().checkClientTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			current().checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			current().checkClientTrusted(chain, authType, socket);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			current().checkServerTrusted(chain, authType, socket);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			current().checkClientTrusted(chain, authType, engine);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			current().checkServerTrusted(chain, authType, engine);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return SpiffeServicesIT.this.agentA.getBundle().toArray(X509Certificate[]::new);
		}

	}

}
