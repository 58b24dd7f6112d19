package dev.mtls.boot.spiffe;

import java.io.Closeable;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.tls.WorkloadMaterial;
import dev.mtls.boot.tls.WorkloadMaterialProvider;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.workloadapi.Address;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIStub;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDRequest;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;
import io.spiffe.workloadapi.internal.GrpcManagedChannelFactory;
import io.spiffe.workloadapi.internal.ManagedChannelWrapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The workload's X.509 SVID and trust bundles, as the SPIFFE Workload API streams them:
 * watches the agent's stream over its Unix domain socket, keeps the latest SVID and
 * bundles, tells a listener of each update, and when the agent goes away keeps the last
 * ones in use and reconnects with a growing delay. The stream speaks java-spiffe's
 * generated Workload API service and its SVIDs are read and checked by java-spiffe.
 *
 * @since 0.1.0
 */
public final class SpiffeWorkloadApiSource implements WorkloadMaterialProvider, Closeable {

	static final String ENDPOINT_SOCKET = "mtls.spiffe.endpoint-socket";

	private static final Log logger = LogFactory.getLog(SpiffeWorkloadApiSource.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	private static final Duration MAX_RETRY = Duration.ofSeconds(30);

	private static final Metadata.Key<String> SECURITY_HEADER = Metadata.Key.of("workload.spiffe.io",
			Metadata.ASCII_STRING_MARSHALLER);

	private final String endpointSocket;

	private final SvidUpdateReader reader;

	private final ScheduledExecutorService executor;

	private final ExecutorService channelThreads;

	private final ManagedChannelWrapper channel;

	private final SpiffeWorkloadAPIStub stub;

	private final CountDownLatch firstContext = new CountDownLatch(1);

	private volatile @Nullable SvidUpdate current;

	private volatile State state = State.CONNECTING;

	private volatile @Nullable String lastProblem;

	private volatile @Nullable Instant lastUpdate;

	private volatile BooleanSupplier updateListener = () -> true;

	private volatile Context.@Nullable CancellableContext stream;

	private Duration retryDelay = FIRST_RETRY;

	private volatile boolean closed;

	private SpiffeWorkloadApiSource(String endpointSocket, URI address, @Nullable String svidHint) {
		this.endpointSocket = endpointSocket;
		this.reader = new SvidUpdateReader(svidHint);
		this.executor = Executors.newSingleThreadScheduledExecutor(daemonThreads("mtls-spiffe"));
		// The channel's event loop takes a thread of its own from this executor for good.
		this.channelThreads = Executors.newCachedThreadPool(daemonThreads("mtls-spiffe-io"));
		this.channel = GrpcManagedChannelFactory.newChannel(address, this.channelThreads);
		Metadata headers = new Metadata();
		headers.put(SECURITY_HEADER, "true");
		this.stub = SpiffeWorkloadAPIGrpc.newStub(this.channel.getChannel())
			.withExecutor(this.executor)
			.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
	}

	/**
	 * Connect to the Workload API and wait for the first X.509 SVID.
	 * @param endpointSocket the agent's socket, such as
	 * {@code unix:/run/spire/agent.sock}
	 * @param svidHint the hint of the SVID to use when the agent offers several, or
	 * {@code null} for the first
	 * @param initialTimeout how long to wait for the first SVID
	 * @return the source, watching the stream
	 * @throws MtlsConfigurationException if the socket is not a valid address, or no SVID
	 * came in time
	 */
	public static SpiffeWorkloadApiSource connect(String endpointSocket, @Nullable String svidHint,
			Duration initialTimeout) {
		URI address = parse(endpointSocket);
		SpiffeWorkloadApiSource source = new SpiffeWorkloadApiSource(endpointSocket, address, svidHint);
		source.watch();
		try {
			if (!source.firstContext.await(initialTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				source.close();
				throw new MtlsConfigurationException(ENDPOINT_SOCKET, endpointSocket,
						"no X.509 SVID came from the SPIFFE Workload API within %s (mtls.spiffe.initial-timeout); %s"
							.formatted(initialTimeout, source.describeProblem()),
						"Start the SPIRE agent (or another Workload API) on this socket and register this workload, "
								+ "point " + ENDPOINT_SOCKET + " (or SPIFFE_ENDPOINT_SOCKET) at its socket, "
								+ "or raise mtls.spiffe.initial-timeout.");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			source.close();
			throw new IllegalStateException("Interrupted while waiting for the first X.509 SVID", ex);
		}
		return source;
	}

	private static ThreadFactory daemonThreads(String name) {
		return (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	private static URI parse(String endpointSocket) {
		if (!endpointSocket.startsWith("unix:")) {
			throw new MtlsConfigurationException(ENDPOINT_SOCKET, endpointSocket, "only 'unix:' sockets are supported",
					"Set " + ENDPOINT_SOCKET
							+ " to the agent's Unix domain socket, such as unix:/run/spire/agent-sockets/agent.sock.");
		}
		try {
			return Address.parseAddress(endpointSocket);
		}
		catch (SocketEndpointAddressException | RuntimeException ex) {
			throw new MtlsConfigurationException(ENDPOINT_SOCKET, endpointSocket,
					"it is not a Workload API socket address: " + ex.getMessage(),
					"Set " + ENDPOINT_SOCKET + " to the agent's Unix domain socket, such as "
							+ "unix:/run/spire/agent-sockets/agent.sock.",
					ex);
		}
	}

	private String describeProblem() {
		String problem = this.lastProblem;
		return (problem != null) ? "the last attempt gave: " + problem : "the agent did not answer";
	}

	@Override
	public void setUpdateListener(BooleanSupplier listener) {
		this.updateListener = listener;
	}

	@Override
	public WorkloadMaterial get() {
		SvidUpdate context = this.current;
		if (context == null) {
			throw new IllegalStateException("No X.509 SVID from the SPIFFE Workload API at " + this.endpointSocket);
		}
		return context.material();
	}

	/**
	 * Return the SVID's SPIFFE ID in use.
	 * @return the SPIFFE ID, or {@code null} before the first SVID
	 */
	public @Nullable String getSpiffeId() {
		SvidUpdate context = this.current;
		return (context != null) ? context.spiffeId() : null;
	}

	/**
	 * Return when the SVID in use expires.
	 * @return its expiry, or {@code null} before the first SVID
	 */
	public @Nullable Instant getSvidExpiry() {
		SvidUpdate context = this.current;
		return (context != null) ? context.material().chain().get(0).getNotAfter().toInstant() : null;
	}

	/**
	 * Return whether the stream from the agent is up.
	 * @return whether connected
	 */
	public boolean isConnected() {
		return this.state == State.CONNECTED;
	}

	/**
	 * Return what went wrong last, while the agent is unreachable or sent something
	 * unusable.
	 * @return the problem, or {@code null}
	 */
	public @Nullable String getLastProblem() {
		return this.lastProblem;
	}

	/**
	 * Return when the last SVID or bundle update came.
	 * @return its time, or {@code null} before the first
	 */
	public @Nullable Instant getLastUpdate() {
		return this.lastUpdate;
	}

	/**
	 * Return the agent's socket.
	 * @return the socket address
	 */
	public String getEndpointSocket() {
		return this.endpointSocket;
	}

	private void watch() {
		if (this.closed) {
			return;
		}
		Context.CancellableContext context = Context.current().withCancellation();
		this.stream = context;
		context.run(() -> this.stub.fetchX509SVID(X509SVIDRequest.getDefaultInstance(), new Observer(context)));
	}

	private synchronized void received(X509SVIDResponse response) {
		if (this.closed) {
			return;
		}
		SvidUpdate previous = this.current;
		SvidUpdate context;
		try {
			context = this.reader.read(response, (previous != null) ? previous.material().trustDomains() : Map.of());
		}
		catch (UnusableUpdateException ex) {
			// A bad update keeps the last good SVID, as a broken file does.
			problem("the agent sent an update that cannot be used: " + ex.getMessage()
					+ "; the last good X.509 SVID stays in use");
			return;
		}
		this.current = context;
		this.lastUpdate = Instant.now();
		this.lastProblem = null;
		this.retryDelay = FIRST_RETRY;
		context.problems().forEach(this::problem);
		State previousState = this.state;
		this.state = State.CONNECTED;
		if (previous == null) {
			logger.info("SPIFFE Workload API at %s: X.509 SVID %s (expires %s), trust domains %s".formatted(
					this.endpointSocket, context.spiffeId(), getSvidExpiry(),
					context.material().trustDomains().keySet()));
			this.firstContext.countDown();
			return;
		}
		if (previousState == State.DISCONNECTED) {
			logger.info("SPIFFE Workload API at %s is back".formatted(this.endpointSocket));
		}
		// An agent that comes back sends what it sent before: no reason to end sessions.
		if (!context.material().sameCertificates(previous.material()) && !this.updateListener.getAsBoolean()) {
			// Not used (the reload said why): report what is in use, and take the next
			// update, even the same one, as new.
			this.current = previous;
			problem("the agent's update was not used (see the reload failure); the last good X.509 SVID stays in use");
		}
	}

	private synchronized void lost(Throwable failure) {
		if (this.closed) {
			return;
		}
		Status status = Status.fromThrowable(failure);
		String problem = status.getCode() + ((status.getDescription() != null) ? ": " + status.getDescription() : "");
		this.lastProblem = CertificateText.escape(problem);
		if (this.state == State.CONNECTED) {
			this.state = State.DISCONNECTED;
			logger.warn(("Lost the SPIFFE Workload API at %s (%s): the X.509 SVID %s (expires %s) and its bundles "
					+ "stay in use; reconnecting")
				.formatted(this.endpointSocket, this.lastProblem, getSpiffeId(), getSvidExpiry()));
		}
		Duration delay = this.retryDelay;
		this.retryDelay = (delay.compareTo(MAX_RETRY.dividedBy(2)) < 0) ? delay.multipliedBy(2) : MAX_RETRY;
		try {
			this.executor.schedule(this::watch, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile.
		}
	}

	private void problem(String problem) {
		String escaped = CertificateText.escape(problem);
		if (!escaped.equals(this.lastProblem)) {
			logger.warn("SPIFFE Workload API at %s: %s".formatted(this.endpointSocket, escaped));
		}
		this.lastProblem = escaped;
	}

	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			Context.CancellableContext context = this.stream;
			if (context != null) {
				context.cancel(null);
			}
		}
		ManagedChannel managedChannel = this.channel.getChannel();
		managedChannel.shutdownNow();
		try {
			managedChannel.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.channel.close();
		this.executor.shutdown();
		this.channelThreads.shutdown();
	}

	@Override
	public String toString() {
		return "the SPIFFE Workload API at " + this.endpointSocket;
	}

	private enum State {

		CONNECTING, CONNECTED, DISCONNECTED

	}

	private final class Observer implements StreamObserver<X509SVIDResponse> {

		private final Context.CancellableContext context;

		Observer(Context.CancellableContext context) {
			this.context = context;
		}

		@Override
		public void onNext(X509SVIDResponse response) {
			received(response);
		}

		@Override
		public void onError(Throwable failure) {
			this.context.cancel(null);
			lost(failure);
		}

		@Override
		public void onCompleted() {
			this.context.cancel(null);
			lost(Status.UNAVAILABLE.withDescription("the agent ended the stream").asRuntimeException());
		}

	}

}
