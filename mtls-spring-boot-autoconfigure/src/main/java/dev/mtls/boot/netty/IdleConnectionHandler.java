package dev.mtls.boot.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Closes an HTTP/1.1 connection once no request has been in progress on it for the idle
 * timeout: the semantics of Reactor Netty's {@code HttpServer.idleTimeout}, without its
 * cost. Reactor Netty adds an idle handler to the pipeline when a response completes and
 * removes it when the next request arrives, two pipeline changes and a timer per request,
 * about 7 % of a small keep-alive request's CPU (BENCHMARKS.md). This handler stays in
 * the pipeline, behind the HTTP codec, for the connection's life: it counts the requests
 * read and the responses written, and looks at the connection once per timeout.
 * <p>
 * A request is in progress from its head until the end of its final response; an interim
 * (1xx) response does not end it, so an upgraded connection (WebSocket) is never idle
 * here, as with Reactor Netty. As with Reactor Netty too, a response still on its way to
 * the client (bytes in the outbound buffer) keeps the connection, and bytes read between
 * requests (the rest of a body refused early) start the idle time again. Runs on the
 * connection's event loop only.
 */
final class IdleConnectionHandler extends ChannelDuplexHandler {

	private final long timeoutNanos;

	private int inProgress;

	private long idleSince;

	private @Nullable ScheduledFuture<?> check;

	IdleConnectionHandler(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "The idle timeout must be positive");
		this.timeoutNanos = timeout.toNanos();
	}

	Duration getTimeout() {
		return Duration.ofNanos(this.timeoutNanos);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.idleSince = ctx.executor().ticker().nanoTime();
		if (ctx.channel().isActive()) {
			schedule(ctx, this.timeoutNanos);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		if (this.check == null) {
			schedule(ctx, this.timeoutNanos);
		}
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancel();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancel();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpRequest) {
			this.inProgress++;
		}
		else if (this.inProgress == 0) {
			this.idleSince = ctx.executor().ticker().nanoTime();
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof LastHttpContent && !isInterim(msg) && this.inProgress > 0) {
			this.inProgress--;
			if (this.inProgress == 0) {
				this.idleSince = ctx.executor().ticker().nanoTime();
			}
		}
		ctx.write(msg, promise);
	}

	// A FullHttpResponse is also a LastHttpContent: 100 Continue, 101 Switching
	// Protocols.
	private static boolean isInterim(Object msg) {
		return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
	}

	private void schedule(ChannelHandlerContext ctx, long delayNanos) {
		this.check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void check(ChannelHandlerContext ctx) {
		this.check = null;
		if (!ctx.channel().isOpen()) {
			return;
		}
		if (this.inProgress > 0 || isSending(ctx)) {
			this.idleSince = ctx.executor().ticker().nanoTime();
			schedule(ctx, this.timeoutNanos);
			return;
		}
		long idle = ctx.executor().ticker().nanoTime() - this.idleSince;
		if (idle >= this.timeoutNanos) {
			ctx.close();
			return;
		}
		schedule(ctx, this.timeoutNanos - idle);
	}

	// The end of a response is written at once, its bytes leave as the client reads them.
	private static boolean isSending(ChannelHandlerContext ctx) {
		ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
		return buffer != null && buffer.totalPendingWriteBytes() > 0;
	}

	private void cancel() {
		ScheduledFuture<?> check = this.check;
		if (check != null) {
			check.cancel(false);
			this.check = null;
		}
	}

}
