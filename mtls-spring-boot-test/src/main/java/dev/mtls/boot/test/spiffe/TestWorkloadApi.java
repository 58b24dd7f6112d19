package dev.mtls.boot.test.spiffe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload.X509SVID;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDRequest;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A SPIFFE Workload API for tests, served on a real Unix domain socket with the real
 * protocol (the Workload API's gRPC service, as java-spiffe generates it): it mints X.509
 * SVIDs with a test CA per trust domain and streams them, with the bundles, to every
 * workload that watches, as a SPIRE agent does. Tests rotate SVIDs and CAs, federate
 * trust domains, and stop and restart the agent.
 *
 * <pre class="code">
 * try (TestWorkloadApi agent = TestWorkloadApi.start(socketPath, "example.org")) {
 *     agent.issue("spiffe://example.org/orders");
 *     // mtls.spiffe.enabled=true, mtls.spiffe.endpoint-socket=agent.getEndpointSocket()
 *     agent.rotate();
 * }
 * </pre>
 *
 * Linux only (epoll); it needs {@code io.spiffe:java-spiffe-core} and
 * {@code io.grpc:grpc-netty-shaded} on the test class path.
 *
 * @since 0.1.0
 */
public final class TestWorkloadApi implements AutoCloseable {

	private static final Metadata.Key<String> SECURITY_HEADER = Metadata.Key.of("workload.spiffe.io",
			Metadata.ASCII_STRING_MARSHALLER);

	private final Path socket;

	private final String trustDomain;

	// The trust domain's CAs, oldest first, as the bundle holds them.
	private final List<CertificateAuthority> authorities = new ArrayList<>();

	// The CA that signs the SVIDs.
	private CertificateAuthority signing;

	private final Map<String, List<X509Certificate>> federated = new LinkedHashMap<>();

	private final List<StreamObserver<X509SVIDResponse>> watchers = new CopyOnWriteArrayList<>();

	private @Nullable String spiffeId;

	private String[] dnsNames = {};

	private @Nullable IssuedCertificate svid;

	private Duration validity = Duration.ofHours(1);

	private Duration backdating = Duration.ofSeconds(60);

	private @Nullable Server server;

	private @Nullable EventLoopGroup eventLoops;

	private int updates;

	private TestWorkloadApi(Path socket, String trustDomain) {
		this.socket = socket;
		this.trustDomain = trustDomain;
		this.signing = newAuthority(trustDomain);
		this.authorities.add(this.signing);
	}

	/**
	 * Start an agent for a trust domain on a socket, with a fresh CA for the domain and
	 * no SVID yet: a workload that connects waits until {@link #issue(String)}.
	 * @param socket the socket's path (its directory must exist)
	 * @param trustDomain the trust domain, such as {@code example.org}
	 * @return the running agent
	 */
	public static TestWorkloadApi start(Path socket, String trustDomain) {
		TestWorkloadApi api = new TestWorkloadApi(socket, trustDomain);
		api.start();
		return api;
	}

	/**
	 * Start another agent of this trust domain on another socket, as SPIRE runs one agent
	 * per node under one server: it signs with the same CA and streams the same bundles,
	 * so the workloads of both agents trust each other. It has no SVID until
	 * {@link #issue(String)}; CA rotations and federation made afterwards apply to the
	 * agent they are made on.
	 * @param socket the other agent's socket path (its directory must exist)
	 * @return the other agent, running
	 */
	public synchronized TestWorkloadApi startPeer(Path socket) {
		TestWorkloadApi peer = new TestWorkloadApi(socket, this.trustDomain);
		peer.authorities.clear();
		peer.authorities.addAll(this.authorities);
		peer.signing = this.signing;
		peer.federated.putAll(this.federated);
		peer.validity = this.validity;
		peer.backdating = this.backdating;
		peer.start();
		return peer;
	}

	/**
	 * Start serving again after {@link #stop()}, on the same socket with the same SVID,
	 * CAs and federation.
	 */
	public synchronized void start() {
		Assert.state(this.server == null, "Already started");
		try {
			Files.deleteIfExists(this.socket);
			EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
			this.eventLoops = group;
			this.server = NettyServerBuilder.forAddress(new DomainSocketAddress(this.socket.toString()))
				.channelType(EpollServerDomainSocketChannel.class)
				.bossEventLoopGroup(group)
				.workerEventLoopGroup(group)
				.addService(ServerInterceptors.intercept(new Service(), new SecurityHeaderCheck()))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to serve the Workload API on " + this.socket, ex);
		}
	}

	/**
	 * Stop serving, as an agent that goes away: every stream ends and the socket is
	 * removed.
	 */
	public synchronized void stop() {
		Server server = this.server;
		if (server == null) {
			return;
		}
		server.shutdownNow();
		try {
			server.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.watchers.clear();
		EventLoopGroup eventLoops = this.eventLoops;
		if (eventLoops != null) {
			eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
		}
		this.server = null;
		this.eventLoops = null;
		try {
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			// Removed with the next start.
		}
	}

	/**
	 * Return the address workloads connect to: {@code unix:} and the socket's path, as
	 * {@code mtls.spiffe.endpoint-socket} and {@code SPIFFE_ENDPOINT_SOCKET} take it.
	 * @return the address
	 */
	public String getEndpointSocket() {
		return "unix:" + this.socket.toAbsolutePath();
	}

	/**
	 * Set how long the SVIDs minted from now on are valid.
	 * @param validity the validity
	 * @return this agent
	 */
	public synchronized TestWorkloadApi validFor(Duration validity) {
		this.validity = validity;
		return this;
	}

	/**
	 * Set how long before its minting each SVID minted from now on is valid (60 s by
	 * default, for clock skew between hosts).
	 * @param backdating the time between an SVID's not-before and its minting
	 * @return this agent
	 */
	public synchronized TestWorkloadApi backdatedBy(Duration backdating) {
		this.backdating = backdating;
		return this;
	}

	/**
	 * Mint an SVID with this SPIFFE ID and stream it to every watcher.
	 * @param spiffeId the SPIFFE ID, of this agent's trust domain
	 * @param dnsNames the DNS names to add, as a SPIRE registration entry's
	 * {@code dnsNames} do (the SVIDs of later rotations carry them too)
	 * @return the SVID
	 */
	public synchronized IssuedCertificate issue(String spiffeId, String... dnsNames) {
		this.spiffeId = spiffeId;
		this.dnsNames = dnsNames.clone();
		IssuedCertificate issued = mint(spiffeId);
		this.svid = issued;
		publish();
		return issued;
	}

	/**
	 * Mint a new SVID for the same SPIFFE ID and stream it.
	 * @return the new SVID
	 */
	public synchronized IssuedCertificate rotate() {
		String id = this.spiffeId;
		Assert.state(id != null, "No SVID issued yet");
		return issue(id, this.dnsNames);
	}

	/**
	 * Rotate the trust domain's CA as SPIRE does: a new CA joins the bundle, the SVID is
	 * minted by it, and the old CA stays in the bundle until
	 * {@link #dropOldAuthorities()}.
	 * @return the new CA
	 */
	public synchronized CertificateAuthority rotateAuthority() {
		CertificateAuthority authority = newAuthority(this.trustDomain);
		rotateAuthority(authority);
		return authority;
	}

	/**
	 * Rotate to a given CA, as {@link #rotateAuthority()} does: such as the new CA of a
	 * peer agent ({@link #startPeer(Path)}), as a SPIRE server rotates its CA for every
	 * agent of the trust domain.
	 * @param authority the new CA of this agent's trust domain
	 */
	public synchronized void rotateAuthority(CertificateAuthority authority) {
		if (!this.authorities.contains(authority)) {
			this.authorities.add(authority);
		}
		this.signing = authority;
		if (this.spiffeId != null) {
			this.svid = mint(this.spiffeId);
		}
		publish();
	}

	/**
	 * Remove every CA but the newest from the trust domain's bundle, and stream it.
	 */
	public synchronized void dropOldAuthorities() {
		this.authorities.clear();
		this.authorities.add(this.signing);
		publish();
	}

	/**
	 * Prepare the next CA as a SPIRE server does before it rotates: a new CA joins the
	 * bundle while the current one still signs, so that every workload trusts it before
	 * the first SVID it signs; {@link #rotateAuthority(CertificateAuthority)} makes it
	 * sign.
	 * @return the new CA
	 */
	public synchronized CertificateAuthority prepareAuthority() {
		CertificateAuthority authority = newAuthority(this.trustDomain);
		prepareAuthority(authority);
		return authority;
	}

	/**
	 * Add a CA prepared elsewhere, such as a peer agent's ({@link #startPeer(Path)}), to
	 * this agent's bundle, as {@link #prepareAuthority()} does.
	 * @param authority the next CA of this agent's trust domain
	 */
	public synchronized void prepareAuthority(CertificateAuthority authority) {
		if (!this.authorities.contains(authority)) {
			this.authorities.add(authority);
		}
		publish();
	}

	/**
	 * Federate with another trust domain: stream its bundle along with the SVID.
	 * @param trustDomain the other trust domain's name
	 * @param authorities its CA certificates
	 */
	public synchronized void federate(String trustDomain, X509Certificate... authorities) {
		this.federated.put(trustDomain, List.of(authorities));
		publish();
	}

	/**
	 * Return the current CA of this agent's trust domain, to mint peers' certificates.
	 * @return the CA
	 */
	public synchronized CertificateAuthority getAuthority() {
		return this.signing;
	}

	/**
	 * Return this agent's trust domain.
	 * @return the trust domain, such as {@code example.org}
	 */
	public String getTrustDomain() {
		return this.trustDomain;
	}

	/**
	 * Return the CA certificates of this agent's trust domain, as its bundle holds them.
	 * @return the bundle
	 */
	public synchronized List<X509Certificate> getBundle() {
		return this.authorities.stream().map(CertificateAuthority::getCertificate).toList();
	}

	/**
	 * Return the SVID streamed last.
	 * @return the SVID, or {@code null} before {@link #issue(String)}
	 */
	public synchronized @Nullable IssuedCertificate getSvid() {
		return this.svid;
	}

	/**
	 * Return how many updates were streamed (to all watchers) so far.
	 * @return the number of updates
	 */
	public synchronized int getUpdates() {
		return this.updates;
	}

	/**
	 * Return how many workloads are watching now.
	 * @return the number of open streams
	 */
	public int getWatchers() {
		return this.watchers.size();
	}

	@Override
	public void close() {
		stop();
	}

	private IssuedCertificate mint(String spiffeId) {
		Instant now = Instant.now();
		return getAuthority().certificate("svid")
			.withoutCommonName()
			.uris(spiffeId)
			.dnsNames(this.dnsNames)
			.serverAuth()
			.clientAuth()
			.validity(now.minus(this.backdating), now.plus(this.validity))
			.issue();
	}

	private synchronized void publish() {
		X509SVIDResponse response = response();
		if (response == null) {
			return;
		}
		this.updates++;
		for (StreamObserver<X509SVIDResponse> watcher : this.watchers) {
			try {
				watcher.onNext(response);
			}
			catch (RuntimeException ex) {
				this.watchers.remove(watcher);
			}
		}
	}

	private synchronized @Nullable X509SVIDResponse response() {
		IssuedCertificate issued = this.svid;
		String id = this.spiffeId;
		if (issued == null || id == null) {
			return null;
		}
		X509SVID svid = X509SVID.newBuilder()
			.setSpiffeId(id)
			.setX509Svid(der(issued.getChain()))
			.setX509SvidKey(ByteString.copyFrom(issued.getPrivateKey().getEncoded()))
			.setBundle(der(getBundle()))
			.build();
		X509SVIDResponse.Builder response = X509SVIDResponse.newBuilder().addSvids(svid);
		this.federated.forEach((domain, cas) -> response.putFederatedBundles("spiffe://" + domain, der(cas)));
		return response.build();
	}

	private static ByteString der(List<X509Certificate> certificates) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (X509Certificate certificate : certificates) {
			try {
				out.writeBytes(certificate.getEncoded());
			}
			catch (CertificateEncodingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return ByteString.copyFrom(out.toByteArray());
	}

	private static CertificateAuthority newAuthority(String trustDomain) {
		return CertificateAuthority.create("Test SPIFFE CA " + trustDomain);
	}

	private final class Service extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {

		@Override
		public void fetchX509SVID(X509SVIDRequest request, StreamObserver<X509SVIDResponse> responseObserver) {
			TestWorkloadApi.this.watchers.add(responseObserver);
			((ServerCallStreamObserver<X509SVIDResponse>) responseObserver)
				.setOnCancelHandler(() -> TestWorkloadApi.this.watchers.remove(responseObserver));
			synchronized (TestWorkloadApi.this) {
				X509SVIDResponse current = response();
				if (current != null) {
					responseObserver.onNext(current);
				}
			}
		}

	}

	// The Workload API refuses calls without this header (SPIFFE Workload Endpoint,
	// section 6.2), so a test proves the client sends it.
	private static final class SecurityHeaderCheck implements ServerInterceptor {

		@Override
		public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
				ServerCallHandler<Q, R> next) {
			if (!"true".equals(headers.get(SECURITY_HEADER))) {
				call.close(Status.INVALID_ARGUMENT.withDescription("security header missing from request"),
						new Metadata());
				return new ServerCall.Listener<>() {
				};
			}
			return next.startCall(call, headers);
		}

	}

}
