package dev.mtls.boot.autoconfigure.web.server;

import java.time.Duration;

import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Keeps connections to the mTLS connector open for long-lived service-to-service traffic:
 * a connection serves any number of requests and stays open 5 minutes while idle.
 * Tomcat's defaults (100 requests, then the connection timeout) make pooled clients pay a
 * full mutual handshake every 100 requests. A value set with
 * {@code server.tomcat.max-keep-alive-requests} or
 * {@code server.tomcat.keep-alive-timeout} is left as set.
 * <p>
 * Runs after Boot's own Tomcat customizer, whose connector customizers would otherwise
 * write Tomcat's defaults back.
 *
 * @since 0.1.0
 */
class MtlsTomcatKeepAliveCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/** Unlimited requests per connection. */
	public static final int DEFAULT_MAX_KEEP_ALIVE_REQUESTS = -1;

	private final @Nullable Duration keepAliveTimeout;

	private final @Nullable Integer maxKeepAliveRequests;

	/**
	 * Create a customizer.
	 * @param keepAliveTimeout the idle time to set, or {@code null} to leave it alone
	 * @param maxKeepAliveRequests the requests per connection to set ({@code -1} for no
	 * limit), or {@code null} to leave it alone
	 */
	MtlsTomcatKeepAliveCustomizer(@Nullable Duration keepAliveTimeout, @Nullable Integer maxKeepAliveRequests) {
		this.keepAliveTimeout = keepAliveTimeout;
		this.maxKeepAliveRequests = maxKeepAliveRequests;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers((connector) -> {
			ProtocolHandler handler = connector.getProtocolHandler();
			if (!(handler instanceof AbstractHttp11Protocol<?> protocol) || !protocol.isSSLEnabled()) {
				return;
			}
			if (this.keepAliveTimeout != null) {
				protocol.setKeepAliveTimeout((int) Math.min(Integer.MAX_VALUE, this.keepAliveTimeout.toMillis()));
			}
			if (this.maxKeepAliveRequests != null) {
				protocol.setMaxKeepAliveRequests(this.maxKeepAliveRequests);
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
