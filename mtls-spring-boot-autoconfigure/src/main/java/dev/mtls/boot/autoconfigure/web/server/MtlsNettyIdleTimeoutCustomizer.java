package dev.mtls.boot.autoconfigure.web.server;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Closes connections to the Reactor Netty mTLS server after 5 minutes idle, as on Tomcat:
 * Netty keeps an idle connection open for ever by default, so every client that ever
 * connected could hold a socket and its TLS state. Netty serves any number of requests
 * per connection already. A value set with {@code server.netty.idle-timeout} is left as
 * set.
 */
class MtlsNettyIdleTimeoutCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	private final @Nullable Duration idleTimeout;

	MtlsNettyIdleTimeoutCustomizer(@Nullable Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		Duration idleTimeout = this.idleTimeout;
		if (idleTimeout != null) {
			factory.addServerCustomizers((server) -> server.idleTimeout(idleTimeout));
		}
	}

}
