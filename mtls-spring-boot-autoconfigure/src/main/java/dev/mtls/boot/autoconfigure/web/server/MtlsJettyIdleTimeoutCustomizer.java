package dev.mtls.boot.autoconfigure.web.server;

import java.time.Duration;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Keeps connections to Jetty's mTLS connector open 5 minutes while idle, as on Tomcat:
 * Jetty's default of 30 seconds makes pooled clients that pause pay a full mutual
 * handshake. Jetty serves any number of requests per connection already. A value set with
 * {@code server.jetty.connection-idle-timeout} is left as set.
 */
class MtlsJettyIdleTimeoutCustomizer implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

	private final @Nullable Duration idleTimeout;

	MtlsJettyIdleTimeoutCustomizer(@Nullable Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		Duration idleTimeout = this.idleTimeout;
		if (idleTimeout == null) {
			return;
		}
		factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof AbstractConnector tls
						&& connector.getConnectionFactory(SslConnectionFactory.class) != null) {
					tls.setIdleTimeout(idleTimeout.toMillis());
				}
			}
		});
	}

}
