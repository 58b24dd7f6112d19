package dev.mtls.boot.jetty;

import dev.mtls.boot.tls.ServerTlsEngine;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Adds {@link MtlsJettyServerCustomizer} to a Jetty factory, servlet or reactive, main or
 * management: Spring Boot customizes the separate management server only with the
 * management context's own {@link WebServerFactoryCustomizer} beans.
 *
 * @since 0.1.0
 */
public class MtlsJettyWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

	private final ServerTlsEngine engine;

	public MtlsJettyWebServerFactoryCustomizer(ServerTlsEngine engine) {
		this.engine = engine;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		factory.addServerCustomizers(new MtlsJettyServerCustomizer(this.engine));
	}

}
