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

	@Param({ "starter", "handwired", "starter-conscrypt" })
	public String server;

	@Param({ "chain", "one-level" })
	public String pki;

	@Param({ "false" })
	public boolean crl;

	private SSLContext serverContext;

	private SSLContext clientContext;

	private int expectedPeerChain;

	private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	private long serverCpuNanos;

	private long serverAllocatedBytes;

	private long handshakes;

	private final List<Double> iterations = new ArrayList<>();

	private final List<Double> allocations = new ArrayList<>();

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
		this.serverContext = switch (this.server) {
			case "starter" ->
				starterEngine(serverCertificate, serverKey, rootCertificate, crlFile, false).createSslContext();
			case "starter-conscrypt" ->
				starterEngine(serverCertificate, serverKey, rootCertificate, crlFile, true).createSslContext();
			case "handwired" -> handWired(serverCertificate, serverKey, rootCertificate);
			default -> throw new IllegalArgumentException("Unknown server " + this.server);
		};
		this.clientContext = clientContext(client, root.getCertificate());
		check();
	}

	private ServerTlsEngine starterEngine(Path certificate, Path key, Path trusted, Path crlFile, boolean conscrypt) {
		TlsMaterialSource source = TlsMaterialSource.of(IdentitySource.pem("file:" + certificate, "file:" + key, null),
				TrustSource.pem(List.of("file:" + trusted)), this.crl ? List.of("file:" + crlFile) : List.of(),
				CertificatePolicy.DEFAULT, OnlineRevocation.NONE);
		MtlsTlsMaterial material = new MtlsTlsMaterial(source, new DefaultResourceLoader(),
				new StaticListableBeanFactory().getBeanProvider(SslBundles.class), MtlsListener.NONE);
		return conscrypt ? ServerTlsEngine.conscrypt(material, getClass().getClassLoader())
				: ServerTlsEngine.jdk(material);
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
		SSLEngine serverEngine = serverEngine();
		handshake(clientEngine(), serverEngine);
		int peerChain = serverEngine.getSession().getPeerCertificates().length;
		if (peerChain != this.expectedPeerChain) {
			throw new IllegalStateException(
					"The server saw " + peerChain + " client certificates, not " + this.expectedPeerChain);
		}
	}

	@Setup(Level.Iteration)
	public void resetCpuTime() {
		this.serverCpuNanos = 0;
		this.serverAllocatedBytes = 0;
		this.handshakes = 0;
	}

	@TearDown(Level.Iteration)
	public void reportCpuTime(IterationParams iteration) {
		if (this.handshakes > 0) {
			double perHandshake = this.serverCpuNanos / 1000.0 / this.handshakes;
			if (iteration.getType() == IterationType.MEASUREMENT) {
				this.iterations.add(perHandshake);
				this.allocations.add(this.serverAllocatedBytes / 1024.0 / this.handshakes);
			}
			System.out.printf(" [server CPU %.1f us/handshake, server allocated %.1f KB/handshake, over %d]%n",
					perHandshake, this.serverAllocatedBytes / 1024.0 / this.handshakes, this.handshakes);
		}
	}

	@TearDown
	public void reportMedians() {
		report("server CPU us/handshake", this.iterations);
		report("server allocated KB/handshake", this.allocations);
	}

	private static void report(String what, List<Double> values) {
		List<Double> measured = new ArrayList<>(values);
		Collections.sort(measured);
		if (!measured.isEmpty()) {
			System.out.printf("%n[%s, %d measurement iterations: median %.1f, min %.1f, max %.1f]%n", what,
					measured.size(), measured.get(measured.size() / 2), measured.get(0),
					measured.get(measured.size() - 1));
		}
	}

	@Benchmark
	public int handshake() throws Exception {
		return handshake(clientEngine(), serverEngine());
	}

	private SSLEngine clientEngine() {
		SSLEngine engine = this.clientContext.createSSLEngine();
		engine.setUseClientMode(true);
		return engine;
	}

	private SSLEngine serverEngine() {
		long start = this.threads.getCurrentThreadCpuTime();
		long allocated = this.threads.getCurrentThreadAllocatedBytes();
		SSLEngine engine = this.serverContext.createSSLEngine();
		engine.setUseClientMode(false);
		engine.setNeedClientAuth(true);
		this.serverCpuNanos += this.threads.getCurrentThreadCpuTime() - start;
		this.serverAllocatedBytes += this.threads.getCurrentThreadAllocatedBytes() - allocated;
		return engine;
	}

	private int handshake(SSLEngine client, SSLEngine server) throws Exception {
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
			this.serverCpuNanos += this.threads.getCurrentThreadCpuTime() - start;
			this.serverAllocatedBytes += this.threads.getCurrentThreadAllocatedBytes() - allocated;
			this.serverToClient.flip();
			step(client.unwrap(this.serverToClient, this.clientIn), client);
			this.serverToClient.compact();
			if (this.clientIn.position() >= RESPONSE.length) {
				this.handshakes++;
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

}
