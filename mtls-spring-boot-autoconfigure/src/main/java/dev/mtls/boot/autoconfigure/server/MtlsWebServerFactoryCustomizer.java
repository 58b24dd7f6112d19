package dev.mtls.boot.autoconfigure.server;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Makes the embedded web server serve HTTPS only, with the
 * {@value MtlsProperties#DEFAULT_BUNDLE_NAME} bundle and the client-auth of
 * {@code mtls.server.client-auth}. Runs after Spring Boot's own customizer, so it
 * replaces any {@code server.ssl} settings.
 *
 * @since 0.1.0
 */
public class MtlsWebServerFactoryCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

	private static final Log logger = LogFactory.getLog(MtlsWebServerFactoryCustomizer.class);

	private final MtlsProperties properties;

	private final SslBundles sslBundles;

	public MtlsWebServerFactoryCustomizer(MtlsProperties properties, SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		if (factory instanceof AbstractConfigurableWebServerFactory configurable && Ssl.isEnabled(configurable.getSsl())
				&& !MtlsProperties.DEFAULT_BUNDLE_NAME.equals(configurable.getSsl().getBundle())) {
			logger.warn("server.ssl settings are replaced by mtls.*: set mtls.enabled=false to use server.ssl");
		}
		Ssl ssl = Ssl.forBundle(MtlsProperties.DEFAULT_BUNDLE_NAME);
		ssl.setClientAuth(this.properties.getServer().getClientAuth());
		factory.setSsl(ssl);
		factory.setSslBundles(this.sslBundles);
	}

	@Override
	public int getOrder() {
		return 1;
	}

}
