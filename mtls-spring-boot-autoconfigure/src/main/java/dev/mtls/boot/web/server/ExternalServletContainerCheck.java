package dev.mtls.boot.web.server;

import dev.mtls.boot.config.MtlsConfigurationException;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Stops start-up of an application deployed to an external servlet container (a war): the
 * container's connectors make the handshakes, and the starter can configure none of them,
 * so its certificate policy, revocation checks, reloading and session limits would not
 * hold there. Checked once the context has created its web server, which an application
 * on an embedded server has by then.
 *
 * @since 0.1.0
 */
public class ExternalServletContainerCheck implements SmartInitializingSingleton {

	private static final String MTLS_SERVER_AUTO_CONFIGURATION = "dev.mtls.boot.autoconfigure.web.server.MtlsServerAutoConfiguration";

	private final ApplicationContext context;

	public ExternalServletContainerCheck(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.context instanceof ServletWebServerApplicationContext servlet && servlet.getWebServer() == null
				&& servlet.getServletContext() != null) {
			throw new MtlsConfigurationException("mtls.enabled", "true",
					"the application runs in an external servlet container (%s), whose TLS connectors the starter "
						.formatted(servlet.getServletContext().getServerInfo())
							+ "cannot configure: their handshakes would skip its certificate policy, revocation "
							+ "checks, reloading and session limits",
					"Run the application on its embedded server (java -jar). To use the starter for outbound "
							+ "calls and per-request checks only, with the container's TLS configured by you, exclude "
							+ MTLS_SERVER_AUTO_CONFIGURATION + " (spring.autoconfigure.exclude).");
		}
	}

}
