package dev.mtls.boot.tomcat;

import dev.mtls.boot.tls.ServerTlsEngine;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Adds {@link MtlsTomcatConnectorCustomizer} to a Tomcat factory, and
 * {@link TomcatConnectorCheck}, which stops start-up unless every connector of the server
 * serves the starter's TLS with the expected client-auth. A factory customizer rather
 * than a {@link TomcatConnectorCustomizer} bean: Spring Boot adds those beans only to the
 * factories it creates itself, not to an application's own factory bean nor to the
 * separate management server's.
 *
 * @since 0.1.0
 */
public class MtlsTomcatWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	private final ServerTlsEngine engine;

	private final Ssl.ClientAuth clientAuth;

	private final String clientAuthProperty;

	/**
	 * Create a customizer.
	 * @param engine the server TLS engine
	 * @param clientAuth the client-auth every connector must have
	 * @param clientAuthProperty the property that sets it, named by a failure
	 */
	public MtlsTomcatWebServerFactoryCustomizer(ServerTlsEngine engine, Ssl.ClientAuth clientAuth,
			String clientAuthProperty) {
		this.engine = engine;
		this.clientAuth = clientAuth;
		this.clientAuthProperty = clientAuthProperty;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers(new MtlsTomcatConnectorCustomizer(this.engine));
		factory.addContextCustomizers(new TomcatConnectorCheck(this.clientAuth, this.clientAuthProperty));
	}

}
