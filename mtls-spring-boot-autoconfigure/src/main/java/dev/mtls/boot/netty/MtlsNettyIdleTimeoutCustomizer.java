package dev.mtls.boot.netty;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.ChannelPipeline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * Closes connections to the Reactor Netty mTLS server after 5 minutes idle, as on Tomcat:
 * Netty keeps an idle connection open for ever by default, so every client that ever
 * connected could hold a socket and its TLS state. Netty serves any number of requests
 * per connection already. A value set with {@code server.netty.idle-timeout} is left as
 * set. Applies to the main server and to a separate management server alike: Spring
 * Boot's management context takes only Boot's own customizers from the main context.
 * <p>
 * On a server speaking HTTP/1.1 only (the default), the starter's own idle handler closes
 * the connection, with Reactor Netty's semantics (idle while no request is in progress)
 * at a fraction of its cost per request; with HTTP/2 enabled, Reactor Netty's
 * {@code idleTimeout} does.
 *
 * @since 0.1.0
 */
public class MtlsNettyIdleTimeoutCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	/**
	 * How long a connection may be idle before the server closes it, unless
	 * {@code server.netty.idle-timeout} says otherwise.
	 */
	public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

	/**
	 * The name of the idle handler in the pipeline of an HTTP/1.1 connection.
	 */
	public static final String HANDLER_NAME = "mtls.idleTimeout";

	private static final Log logger = LogFactory.getLog(MtlsNettyIdleTimeoutCustomizer.class);

	private static final AtomicBoolean warnedOfProtocolChange = new AtomicBoolean();

	private final @Nullable Duration idleTimeout;

	/**
	 * Create a customizer.
	 * @param idleTimeout the idle timeout, or {@code null} to leave the server's as it is
	 */
	public MtlsNettyIdleTimeoutCustomizer(@Nullable Duration idleTimeout) {
		Assert.isTrue(idleTimeout == null || (!idleTimeout.isNegative() && !idleTimeout.isZero()),
				"The idle timeout must be positive");
		this.idleTimeout = idleTimeout;
	}

	/**
	 * Create a customizer that sets {@link #IDLE_TIMEOUT} unless
	 * {@code server.netty.idle-timeout} is set (Boot applies that one).
	 * @param environment the environment
	 * @return the customizer
	 */
	public static MtlsNettyIdleTimeoutCustomizer of(Environment environment) {
		return new MtlsNettyIdleTimeoutCustomizer(
				environment.containsProperty("server.netty.idle-timeout") ? null : IDLE_TIMEOUT);
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		Duration idleTimeout = this.idleTimeout;
		if (idleTimeout != null) {
			factory.addServerCustomizers((server) -> withIdleTimeout(server, idleTimeout));
		}
	}

	// Boot sets the protocols before it applies the server customizers; an idle timeout
	// set already (by an application's NettyServerCustomizer) is left as set.
	private static HttpServer withIdleTimeout(HttpServer server, Duration idleTimeout) {
		if (server.configuration().idleTimeout() != null) {
			return server;
		}
		HttpProtocol[] protocols = server.configuration().protocols();
		if (protocols.length != 1 || protocols[0] != HttpProtocol.HTTP11) {
			return server.idleTimeout(idleTimeout);
		}
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			if (pipeline.get(NettyPipeline.HttpCodec) != null) {
				pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, new IdleConnectionHandler(idleTimeout));
			}
			else if (warnedOfProtocolChange.compareAndSet(false, true)) {
				// A customizer after this one changed the protocols (HTTP/2).
				logger.warn("Reactor Netty connections have no idle timeout: the server's protocols changed after "
						+ "the starter configured it for HTTP/1.1; set server.netty.idle-timeout");
			}
		});
	}

}
