package dev.mtls.boot.netty;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;

/**
 * A Netty server context whose handlers run the TLS engine's delegated tasks on a pool of
 * their own instead of the event loop. The JDK's engine checks the client's certificate
 * in such a task, and with online revocation that check waits for an OCSP responder or a
 * CRL distribution point (up to {@code mtls.revocation.timeout} each): on the event loop,
 * every connection of that loop would wait with it. One pool per server, for its
 * lifetime: the context is made once and its managers follow reloads. Used only with
 * online revocation: without it nothing in a handshake waits, and handing each task to
 * another thread cost a tenth of the handshake rate (BENCHMARKS.md).
 */
final class OffloadedHandshakeSslContext extends JdkSslContext {

	/**
	 * The most threads for delegated tasks: enough for many handshakes waiting on a slow
	 * responder at once. Beyond them, the event loop runs a task itself, as Netty does
	 * without a pool: the pool never queues, so peers cannot make it hold work without
	 * bound.
	 */
	static final int MAX_THREADS = 64;

	private static final AtomicInteger pools = new AtomicInteger();

	private final Executor delegatedTasks;

	OffloadedHandshakeSslContext(SSLContext context, @Nullable List<String> ciphers,
			ApplicationProtocolConfig applicationProtocols, ClientAuth clientAuth, String @Nullable [] protocols) {
		super(context, false, ciphers, IdentityCipherSuiteFilter.INSTANCE, applicationProtocols, clientAuth, protocols,
				false);
		this.delegatedTasks = delegatedTaskPool();
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator allocator, boolean startTls) {
		return newHandler(allocator, startTls, this.delegatedTasks);
	}

	private static ThreadPoolExecutor delegatedTaskPool() {
		int pool = pools.incrementAndGet();
		AtomicInteger threads = new AtomicInteger();
		// A thread only when none is idle, up to MAX_THREADS; idle ones end after 10 s.
		ThreadPoolExecutor executor = new ThreadPoolExecutor(Runtime.getRuntime().availableProcessors(), MAX_THREADS,
				10, TimeUnit.SECONDS, new SynchronousQueue<>(), (task) -> {
					Thread thread = new Thread(task, "mtls-tls-" + pool + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.CallerRunsPolicy());
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

}
