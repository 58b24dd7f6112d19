package dev.mtls.boot.security.reactive;

import java.lang.reflect.Method;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the client certificate chain of a request on Reactor Netty from its connection's
 * TLS session, as Spring's {@code ReactorServerHttpRequest} does for
 * {@link ServerHttpRequest#getSslInfo()}, without building an {@link SslInfo}: that one
 * hex-encodes the session id on every request, which the starter does not use and which
 * cost about 5 % of a small keep-alive request's event-loop time (BENCHMARKS.md). Only
 * for the request as Spring builds it from Reactor Netty's, seen directly or through
 * decorators that leave {@code getSslInfo()} to it (Spring Security's firewall wraps
 * every request in one): a request another filter replaced or mutated (a trusted proxy's
 * forwarded certificate, a test's), or a decorator answering {@code getSslInfo()} itself,
 * is read through its {@code SslInfo}.
 */
final class ReactorNettyPeerChain {

	private static final String REACTOR_REQUEST = "org.springframework.http.server.reactive.ReactorServerHttpRequest";

	/**
	 * Stands for a request this class cannot read: read its {@code SslInfo} instead.
	 */
	static final X509Certificate[] UNKNOWN = new X509Certificate[0];

	/**
	 * The most decorators looked through: Spring Security's firewall adds one, a filter's
	 * own decoration another.
	 */
	private static final int MAX_DECORATORS = 16;

	/**
	 * Whether a decorator class leaves {@code getSslInfo()} to its delegate, as
	 * {@link ServerHttpRequestDecorator} does unless a subclass overrides it.
	 */
	private static final ClassValue<Boolean> delegatesSslInfo = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			try {
				Method getSslInfo = ReflectionUtils.findMethod(type, "getSslInfo");
				return getSslInfo != null && getSslInfo.getDeclaringClass() == ServerHttpRequestDecorator.class;
			}
			catch (RuntimeException | LinkageError ex) {
				// A class that cannot be introspected (a method naming a missing class):
				// its SslInfo answers, as it would without this class.
				return false;
			}
		}

	};

	private ReactorNettyPeerChain() {
	}

	/**
	 * Return the client's certificate chain of a request Spring built from Reactor
	 * Netty's (directly or through decorators that leave {@code getSslInfo()} to it),
	 * {@code null} when the connection has none (no TLS, or no certificate presented), or
	 * {@link #UNKNOWN} for any other request.
	 * @param request the request
	 * @return the chain, {@code null} or {@link #UNKNOWN}
	 */
	static X509Certificate @Nullable [] of(ServerHttpRequest request) {
		ServerHttpRequest undecorated = request;
		int decorators = 0;
		while (undecorated instanceof ServerHttpRequestDecorator decorator
				&& delegatesSslInfo.get(decorator.getClass())) {
			if (++decorators > MAX_DECORATORS) {
				// A decorator delegating to itself, or an odd stack: its SslInfo answers.
				return UNKNOWN;
			}
			// What the decorator's getSslInfo() answers.
			undecorated = decorator.getDelegate();
		}
		// Such a request exists only where Reactor Netty is on the class path.
		if (!REACTOR_REQUEST.equals(undecorated.getClass().getName())) {
			return UNKNOWN;
		}
		return Netty.chain(((AbstractServerHttpRequest) undecorated).getNativeRequest());
	}

	// Loaded only where Reactor Netty is on the class path.
	private static final class Netty {

		static X509Certificate @Nullable [] chain(Object nativeRequest) {
			if (!(nativeRequest instanceof Connection connection)) {
				return UNKNOWN;
			}
			Channel channel = connection.channel();
			SslHandler tls = channel.pipeline().get(SslHandler.class);
			// HTTP/2: the TLS handler is on the connection, the parent of the stream.
			if (tls == null && channel.parent() != null) {
				tls = channel.parent().pipeline().get(SslHandler.class);
			}
			if (tls == null) {
				return null;
			}
			Certificate[] certificates;
			try {
				certificates = tls.engine().getSession().getPeerCertificates();
			}
			catch (SSLPeerUnverifiedException ex) {
				return null;
			}
			catch (RuntimeException ex) {
				// Whatever Spring makes of an engine that fails otherwise.
				return UNKNOWN;
			}
			X509Certificate[] chain = new X509Certificate[certificates.length];
			for (int i = 0; i < certificates.length; i++) {
				if (!(certificates[i] instanceof X509Certificate certificate)) {
					return UNKNOWN;
				}
				chain[i] = certificate;
			}
			return chain;
		}

	}

}
