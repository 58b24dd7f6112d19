package dev.mtls.boot.netty;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Closes a connection whose TLS handshake failed before Netty's ALPN handler (which
 * chooses between HTTP/2 and HTTP/1.1) sees the failure: that handler logs every failed
 * handshake as a warning with two stack traces, so any peer could fill the log by
 * connecting with a refused certificate, or none. The starter's trust manager logs a
 * refused certificate once per certificate and reason already.
 */
final class RefusedHandshakeHandler extends ChannelInboundHandlerAdapter {

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
		if (isTlsFailure(cause)) {
			ctx.close();
			return;
		}
		super.exceptionCaught(ctx, cause);
	}

	private static boolean isTlsFailure(Throwable cause) {
		for (Throwable current = cause; current != null; current = current.getCause()) {
			if (current instanceof SSLException) {
				return true;
			}
		}
		return false;
	}

}
