package dev.mtls.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;

import com.sun.management.ThreadMXBean;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.ServerTlsEngine;
import dev.mtls.boot.tls.TlsMaterialSource;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.OnlineRevocation;
import org.conscrypt.Conscrypt;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * One full mutual TLS 1.3 handshake and one request and response in memory (an
 * {@link SSLEngine} pair, no sockets), with the server's CPU time counted apart from the
 * client's: the server's context from the starter ({@link ServerTlsEngine} on
 * {@link MtlsTlsMaterial}, engine {@code jdk} or {@code conscrypt}) against a plain JDK
 * context on the same key and trust stores, as a hand-wired Spring Boot application's SSL
 * bundle makes it ({@code handwired}). {@code pki=chain}: root CA, issuing CA and leaves,
 * both sides sending leaf and issuing CA, the root trusted (as cert-manager, Vault PKI or
 * SPIRE issue); {@code pki=one-level}: one CA signing the leaves directly. The client is
 * the JDK's, without session resumption (an engine without peer host), so every handshake
 * is a full one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HandshakeBenchmark {

	private static final byte[] REQUEST = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\nhello bench-client"
		.getBytes(StandardCharsets.US_ASCII);

	private static final int BUFFER = 64 * 1024;

	@Param({ "starter+handwired+starter-conscrypt" })
	public String server;

	@Param({ "chain", "one-level" })
	public String pki;

	@Param({ "false" })
	public boolean crl;

	private final List<Server> servers = new ArrayList<>();

	private SSLContext clientContext;

	private int expectedPeerChain;

	private int turn;

	private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	private final ByteBuffer clientToServer = ByteBuffer.allocate(BUFFER);

	private final ByteBuffer serverToClient = ByteBuffer.allocate(BUFFER);

	private final ByteBuffer clientIn = ByteBuffer.allocate(BUFFER);

	private final ByteBuffer serverIn = ByteBuffer.allocate(BUFFER);

	@Setup
	public void setUp() throws Exception {
		Path directory = Files.createTempDirectory("mtls-handshake");
		CertificateAuthority root = CertificateAuthority.create("Bench Root CA");
		CertificateAuthority issuer = "chain".equals(this.pki)
				? root.certificate("Bench Issuing CA").ca().issue().asCertificateAuthority() : root;
		IssuedCertificate server = issuer.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1")
			.serverAuth()
			.issue();
		IssuedCertificate client = issuer.certificate("bench-client").clientAuth().issue();
		this.expectedPeerChain = client.getChain().size();
		Path serverCertificate = server.writeCertificate(directory.resolve("server.crt"));
		Path serverKey = server.writePrivateKey(directory.resolve("server.key"));
		Path rootCertificate = root.asIssued().writeCertificate(directory.resolve("ca.crt"));
		Path crlFile = Files.writeString(directory.resolve("issuer.crl"), issuer.crl(Duration.ofDays(7)));
		for (String name : this.server.split("\\+")) {
			SSLContext context = switch (name.trim()) {
				case "starter" ->
					starterEngine(serverCertificate, serverKey, rootCertificate, crlFile, false).createSslContext();
				case "starter-conscrypt" ->
					starterEngine(serverCertificate, serverKey, rootCertificate, crlFile, true).createSslContext();
				// The starter's managers on Conscrypt as the engine used them before the
				// identity's key was converted once for Conscrypt: for comparisons.
				case "conscrypt-jdk-key" -> material(serverCertificate, serverKey, rootCertificate, crlFile)
					.createSslContext(Conscrypt.newProviderBuilder()
						.setName("Conscrypt-bench")
						.provideTrustManager(false)
						.build());
				case "handwired" -> handWired(serverCertificate, serverKey, rootCertificate);
				default -> throw new IllegalArgumentException("Unknown server " + name);
			};
			this.servers.add(new Server(name.trim(), context));
		}
		this.clientContext = clientContext(client, root.getCertificate());
		check();
	}

	private ServerTlsEngine starterEngine(Path certificate, Path key, Path trusted, Path crlFile, boolean conscrypt) {
		MtlsTlsMaterial material = material(certificate, key, trusted, crlFile);
		return conscrypt ? ServerTlsEngine.conscrypt(material, getClass().getClassLoader())
				: ServerTlsEngine.jdk(material);
	}

	private MtlsTlsMaterial material(Path certificate, Path key, Path trusted, Path crlFile) {
		TlsMaterialSource source = TlsMaterialSource.of(IdentitySource.pem("file:" + certificate, "file:" + key, null),
				TrustSource.pem(List.of("file:" + trusted)), this.crl ? List.of("file:" + crlFile) : List.of(),
				CertificatePolicy.DEFAULT, OnlineRevocation.NONE);
		return new MtlsTlsMaterial(source, new DefaultResourceLoader(),
				new StaticListableBeanFactory().getBeanProvider(SslBundles.class), MtlsListener.NONE);
	}

	// What Spring Boot makes of spring.ssl.bundle.pem.* with a key store and a trust
	// store: the JDK's default key and trust manager factories (SunX509, PKIX).
	private static SSLContext handWired(Path certificate, Path key, Path trusted) {
		SslStoreBundle stores = new PemSslStoreBundle(
				new PemSslStoreDetails(null, "file:" + certificate, "file:" + key),
				new PemSslStoreDetails(null, "file:" + trusted, null));
		return SslManagerBundle.from(stores, null).createSslContext("TLS");
	}

	private static SSLContext clientContext(IssuedCertificate client, X509Certificate root) throws Exception {
		KeyStore keys = client.toKeyStore("PKCS12", "client", "secret");
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, "secret".toCharArray());
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("root", root);
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
		return context;
	}

	// Measure what the name says: a mutual handshake in which the client sent its whole
	// chain, and the response read back.
	private void check() throws Exception {
		for (Server server : this.servers) {
			SSLEngine serverEngine = server.engine();
			handshake(clientEngine(), serverEngine, server);
			int peerChain = serverEngine.getSession().getPeerCertificates().length;
			if (peerChain != this.expectedPeerChain) {
				throw new IllegalStateException(
						server.name + " saw " + peerChain + " client certificates, not " + this.expectedPeerChain);
			}
		}
	}

	@Setup(Level.Iteration)
	public void resetCounts() {
		this.servers.forEach(Server::reset);
	}

	@TearDown(Level.Iteration)
	public void reportIteration(IterationParams iteration) {
		boolean measured = iteration.getType() == IterationType.MEASUREMENT;
		Server first = this.servers.get(0);
		StringBuilder line = new StringBuilder();
		for (Server server : this.servers) {
			line.append(String.format(" [%s: server CPU %.1f us, allocated %.1f KB per handshake, %d handshakes]",
					server.name, server.cpuMicros(), server.allocatedKilobytes(), server.handshakes));
			if (measured) {
				server.cpu.add(server.cpuMicros());
				server.allocated.add(server.allocatedKilobytes());
				server.ratios.add(server.cpuMicros() / first.cpuMicros());
			}
		}
		System.out.println(line);
	}

	@TearDown
	public void reportMedians() {
		System.out.println();
		for (Server server : this.servers) {
			System.out.printf("[%s: server CPU us/handshake %s; allocated KB/handshake %s; CPU / %s's %s]%n",
					server.name, summary(server.cpu), summary(server.allocated), this.servers.get(0).name,
					summary(server.ratios));
		}
	}

	private static String summary(List<Double> values) {
		if (values.isEmpty()) {
			return "-";
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return String.format("median %.2f [%.2f to %.2f] of %d iterations", sorted.get(sorted.size() / 2),
				sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
	}

	@Benchmark
	public int handshake() throws Exception {
		Server server = this.servers.get(this.turn);
		this.turn = (this.turn + 1) % this.servers.size();
		return handshake(clientEngine(), server.engine(), server);
	}

	private SSLEngine clientEngine() {
		SSLEngine engine = this.clientContext.createSSLEngine();
		engine.setUseClientMode(true);
		return engine;
	}

	private int handshake(SSLEngine client, SSLEngine server, Server counts) throws Exception {
		this.clientToServer.clear();
		this.serverToClient.clear();
		this.clientIn.clear();
		this.serverIn.clear();
		ByteBuffer request = ByteBuffer.wrap(REQUEST);
		ByteBuffer response = ByteBuffer.wrap(RESPONSE);
		for (int round = 0; round < 50; round++) {
			step(client.wrap(request, this.clientToServer), client);
			long start = this.threads.getCurrentThreadCpuTime();
			long allocated = this.threads.getCurrentThreadAllocatedBytes();
			serverRound(server, response);
			counts.cpuNanos += this.threads.getCurrentThreadCpuTime() - start;
			counts.allocatedBytes += this.threads.getCurrentThreadAllocatedBytes() - allocated;
			this.serverToClient.flip();
			step(client.unwrap(this.serverToClient, this.clientIn), client);
			this.serverToClient.compact();
			if (this.clientIn.position() >= RESPONSE.length) {
				counts.handshakes++;
				return this.clientIn.position();
			}
		}
		throw new IllegalStateException("No response after 50 rounds: client " + client.getHandshakeStatus()
				+ ", server " + server.getHandshakeStatus());
	}

	// The server's part of a round, in a method of its own so that a profile tells it
	// from the client's.
	private void serverRound(SSLEngine server, ByteBuffer response) throws Exception {
		this.clientToServer.flip();
		step(server.unwrap(this.clientToServer, this.serverIn), server);
		this.clientToServer.compact();
		// The server answers once it has read the request, as a server does.
		ByteBuffer answer = (this.serverIn.position() >= REQUEST.length) ? response : ByteBuffer.allocate(0);
		step(server.wrap(answer, this.serverToClient), server);
	}

	private static void step(SSLEngineResult result, SSLEngine engine) {
		if (result.getStatus() != SSLEngineResult.Status.OK
				&& result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
			throw new IllegalStateException("Unexpected " + result);
		}
		if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
			Runnable task;
			while ((task = engine.getDelegatedTask()) != null) {
				task.run();
			}
		}
	}

	/**
	 * A server context and what its handshakes cost in an iteration.
	 */
	private final class Server {

		private final String name;

		private final SSLContext context;

		private long cpuNanos;

		private long allocatedBytes;

		private long handshakes;

		private final List<Double> cpu = new ArrayList<>();

		private final List<Double> allocated = new ArrayList<>();

		private final List<Double> ratios = new ArrayList<>();

		Server(String name, SSLContext context) {
			this.name = name;
			this.context = context;
		}

		SSLEngine engine() {
			long start = HandshakeBenchmark.this.threads.getCurrentThreadCpuTime();
			long allocated = HandshakeBenchmark.this.threads.getCurrentThreadAllocatedBytes();
			SSLEngine engine = this.context.createSSLEngine();
			engine.setUseClientMode(false);
			engine.setNeedClientAuth(true);
			this.cpuNanos += HandshakeBenchmark.this.threads.getCurrentThreadCpuTime() - start;
			this.allocatedBytes += HandshakeBenchmark.this.threads.getCurrentThreadAllocatedBytes() - allocated;
			return engine;
		}

		void reset() {
			this.cpuNanos = 0;
			this.allocatedBytes = 0;
			this.handshakes = 0;
		}

		double cpuMicros() {
			return (this.handshakes > 0) ? this.cpuNanos / 1000.0 / this.handshakes : Double.NaN;
		}

		double allocatedKilobytes() {
			return (this.handshakes > 0) ? this.allocatedBytes / 1024.0 / this.handshakes : Double.NaN;
		}

	}

}
