package dev.mtls.boot.tomcat;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Gives a Tomcat factory left on Tomcat's default NIO protocol the
 * {@link HandshakeDeadlineNioProtocol}, which bounds a TLS handshake by the connection
 * timeout from the connection's opening. A protocol the application chose is left as
 * chosen.
 *
 * @since 0.1.0
 */
public class MtlsTomcatProtocolCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		if (factory instanceof TomcatWebServerFactory tomcat
				&& TomcatWebServerFactory.DEFAULT_PROTOCOL.equals(tomcat.getProtocol())) {
			tomcat.setProtocol(HandshakeDeadlineNioProtocol.class.getName());
		}
	}

}
