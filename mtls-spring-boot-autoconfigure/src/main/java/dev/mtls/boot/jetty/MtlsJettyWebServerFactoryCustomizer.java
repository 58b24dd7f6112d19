package dev.mtls.boot.jetty;

import dev.mtls.boot.tls.ServerTlsEngine;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.Ssl;
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

	private final Ssl.ClientAuth clientAuth;

	private final String clientAuthProperty;

	/**
	 * Create a customizer.
	 * @param engine the server TLS engine
	 * @param clientAuth the client-auth every connector must have
	 * @param clientAuthProperty the property that sets it, named by a failure
	 */
	public MtlsJettyWebServerFactoryCustomizer(ServerTlsEngine engine, Ssl.ClientAuth clientAuth,
			String clientAuthProperty) {
		this.engine = engine;
		this.clientAuth = clientAuth;
		this.clientAuthProperty = clientAuthProperty;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		factory
			.addServerCustomizers(new MtlsJettyServerCustomizer(this.engine, this.clientAuth, this.clientAuthProperty));
	}

}
