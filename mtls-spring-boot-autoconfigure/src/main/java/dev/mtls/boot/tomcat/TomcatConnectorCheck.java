package dev.mtls.boot.tomcat;

import java.util.Locale;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.server.Ssl;

/**
 * Stops start-up unless every connector of the Tomcat server serves the starter's TLS
 * context with the expected client-auth. Run as a context customizer, after the factory's
 * customizers and with the additional connectors in place, before any connector binds: a
 * customizer running after the starter's could turn TLS off or change client-auth, and an
 * additional connector would serve without the starter's checks.
 */
final class TomcatConnectorCheck implements TomcatContextCustomizer {

	private final Ssl.ClientAuth clientAuth;

	private final String clientAuthProperty;

	TomcatConnectorCheck(Ssl.ClientAuth clientAuth, String clientAuthProperty) {
		this.clientAuth = clientAuth;
		this.clientAuthProperty = clientAuthProperty;
	}

	@Override
	public void customize(Context context) {
		Container host = context.getParent();
		if (host != null && host.getParent() instanceof Engine engine && engine.getService() != null) {
			for (Connector connector : engine.getService().findConnectors()) {
				check(connector);
			}
		}
	}

	private void check(Connector connector) {
		ProtocolHandler handler = connector.getProtocolHandler();
		if (!(handler instanceof AbstractHttp11Protocol<?> protocol) || !protocol.isSSLEnabled()) {
			throw unchecked(connector, "serves without TLS");
		}
		for (SSLHostConfig hostConfig : protocol.findSslHostConfigs()) {
			for (SSLHostConfigCertificate certificate : hostConfig.getCertificates(true)) {
				if (!(certificate.getSslContext() instanceof TomcatSslContext)) {
					throw unchecked(connector, "serves TLS that the starter did not configure");
				}
			}
			SSLHostConfig.CertificateVerification verification = hostConfig.getCertificateVerification();
			if (verification != expectedVerification()) {
				throw new MtlsConfigurationException(this.clientAuthProperty,
						this.clientAuth.name().toLowerCase(Locale.ROOT),
						"Tomcat's connector on port %d verifies client certificates as '%s', not as this property says: a customizer that ran after the starter's changed it"
							.formatted(connector.getPort(), verification),
						"Remove the customizer's client-auth (or its Ssl), and set client-auth through this property.");
			}
		}
	}

	private SSLHostConfig.CertificateVerification expectedVerification() {
		return switch (this.clientAuth) {
			case NEED -> SSLHostConfig.CertificateVerification.REQUIRED;
			case WANT -> SSLHostConfig.CertificateVerification.OPTIONAL;
			case NONE -> SSLHostConfig.CertificateVerification.NONE;
		};
	}

	private static MtlsConfigurationException unchecked(Connector connector, String problem) {
		return new MtlsConfigurationException("mtls.enabled", "true",
				"Tomcat's connector on port %d %s, so its connections would skip the starter's certificate checks (a customizer that ran after the starter's, or an additional connector)"
					.formatted(connector.getPort(), problem),
				"Serve every connector through the starter (remove the additional connector, or the customizer "
						+ "that changes the connector's TLS), or set mtls.enabled=false.");
	}

}
