package dev.mtls.boot.netty;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
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
 * every connection of that loop would wait with it.
 */
final class OffloadedHandshakeSslContext extends JdkSslContext {

	/**
	 * Threads for delegated tasks: enough for many handshakes waiting on a slow responder
	 * at once; idle ones end after a while.
	 */
	static final int THREADS = 64;

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
		ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "mtls-tls-" + pool + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

}
