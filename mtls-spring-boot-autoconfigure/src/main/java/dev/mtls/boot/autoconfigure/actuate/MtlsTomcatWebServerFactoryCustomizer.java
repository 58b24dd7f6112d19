package dev.mtls.boot.autoconfigure.actuate;

import dev.mtls.boot.tls.ServerTlsEngine;
import dev.mtls.boot.tomcat.MtlsTomcatConnectorCustomizer;
import dev.mtls.boot.tomcat.MtlsTomcatProtocolCustomizer;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Adds {@link MtlsTomcatConnectorCustomizer} (and the handshake deadline of
 * {@link MtlsTomcatProtocolCustomizer}) to a Tomcat factory that takes no
 * {@link TomcatConnectorCustomizer} beans, such as the separate management server's,
 * which Spring Boot creates from the main factory's class and customizes only with the
 * management context's own {@link WebServerFactoryCustomizer} beans.
 */
class MtlsTomcatWebServerFactoryCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	private final ServerTlsEngine engine;

	MtlsTomcatWebServerFactoryCustomizer(ServerTlsEngine engine) {
		this.engine = engine;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		new MtlsTomcatProtocolCustomizer().customize(factory);
		factory.addConnectorCustomizers(new MtlsTomcatConnectorCustomizer(this.engine));
	}

}
