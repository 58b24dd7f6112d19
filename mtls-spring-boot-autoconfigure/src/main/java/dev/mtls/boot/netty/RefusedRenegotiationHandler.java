package dev.mtls.boot.netty;

import dev.mtls.boot.tls.RefusedRenegotiations;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;

/**
 * Counts the renegotiations a connection's engine refused: Netty's {@link SslHandler}
 * passes what its engine threw down the pipeline, to this handler right behind it, and
 * ends the connection. Only failures after the first handshake succeeded can be refused
 * renegotiations.
 */
@Sharable
final class RefusedRenegotiationHandler extends ChannelInboundHandlerAdapter {

	private final RefusedRenegotiations refusedRenegotiations;

	RefusedRenegotiationHandler(RefusedRenegotiations refusedRenegotiations) {
		this.refusedRenegotiations = refusedRenegotiations;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
		SslHandler tls = ctx.pipeline().get(SslHandler.class);
		if (tls != null && tls.handshakeFuture().isSuccess()) {
			this.refusedRenegotiations.record(tls.engine(), cause);
		}
		super.exceptionCaught(ctx, cause);
	}

}
