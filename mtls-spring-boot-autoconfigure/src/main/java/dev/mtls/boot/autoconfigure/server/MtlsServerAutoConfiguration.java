package dev.mtls.boot.autoconfigure.server;

import java.util.List;

import dev.mtls.boot.autoconfigure.DevMode;
import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the embedded web server for mutual TLS.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MtlsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnClass(ConfigurableWebServerFactory.class)
@ConditionalOnWebApplication
public final class MtlsServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MtlsWebServerFactoryCustomizer mtlsWebServerFactoryCustomizer(MtlsProperties properties, SslBundles sslBundles) {
		return new MtlsWebServerFactoryCustomizer(properties.getServer().getClientAuth(), sslBundles);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
	static class TomcatConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MtlsTomcatConnectorCustomizer mtlsTomcatConnectorCustomizer(SslBundles sslBundles) {
			return new MtlsTomcatConnectorCustomizer(sslBundles);
		}

	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("mtls.dev.enabled")
	DevModeCurlCommandLogger devModeCurlCommandLogger(MtlsProperties properties, Environment environment) {
		List<String> clients = DevMode.isActive(properties) ? properties.getDev().getClients() : List.of();
		return new DevModeCurlCommandLogger(DevMode.directory(properties.getDev(), environment), clients);
	}

}
