package dev.mtls.boot.netty;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.ServerTlsEngine;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Http2;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Adds {@link MtlsNettyServerCustomizer} to a Reactor Netty factory, main or management,
 * with the client-auth the factory's SSL settings name by the time the server is built
 * (set by {@code MtlsWebServerFactoryCustomizer}). It is added last, so it replaces the
 * TLS that Spring Boot's {@code SslServerCustomizer} and earlier customizers configured.
 *
 * @since 0.1.0
 */
public class MtlsNettyWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final ServerTlsEngine engine;

	private final SslBundles sslBundles;

	public MtlsNettyWebServerFactoryCustomizer(ServerTlsEngine engine, SslBundles sslBundles) {
		this.engine = engine;
		this.sslBundles = sslBundles;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		Ssl ssl = factory.getSsl();
		Assert.state(ssl != null && MtlsTlsMaterial.BUNDLE_NAME.equals(ssl.getBundle()),
				"The server must serve the mtls bundle (set by MtlsWebServerFactoryCustomizer)");
		Http2 http2 = factory.getHttp2();
		if (http2 != null && http2.isEnabled() && this.engine.getProviderName() != null) {
			throw new MtlsConfigurationException(ServerTlsEngine.PROPERTY, "conscrypt",
					"Reactor Netty negotiates HTTP/2 (server.http2.enabled=true) through the JDK's ALPN API, and "
							+ "reads Conscrypt's answer for a client that offers no ALPN as an error: such HTTP/1.1 "
							+ "clients (the JDK's HttpsURLConnection among them) would be dropped after the handshake",
					"Set server.http2.enabled=false, or set mtls.server.engine to jdk (Tomcat serves HTTP/2 with "
							+ "Conscrypt).");
		}
		Ssl.ClientAuth clientAuth = (ssl.getClientAuth() != null) ? ssl.getClientAuth() : Ssl.ClientAuth.NONE;
		factory.addServerCustomizers(new MtlsNettyServerCustomizer(this.engine, clientAuth,
				this.sslBundles.getBundle(MtlsTlsMaterial.BUNDLE_NAME).getOptions(),
				http2 != null && http2.isEnabled()));
	}

	@Override
	public int getOrder() {
		// After MtlsWebServerFactoryCustomizer, which sets the mtls bundle and
		// client-auth.
		return Ordered.LOWEST_PRECEDENCE - 5;
	}

}
