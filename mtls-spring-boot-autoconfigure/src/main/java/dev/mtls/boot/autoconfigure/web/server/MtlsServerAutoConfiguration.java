package dev.mtls.boot.autoconfigure.web.server;

import java.time.Duration;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.jetty.MtlsJettyWebServerFactoryCustomizer;
import dev.mtls.boot.netty.MtlsNettyIdleTimeoutCustomizer;
import dev.mtls.boot.netty.MtlsNettyWebServerFactoryCustomizer;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.ServerTlsEngine;
import dev.mtls.boot.tls.TlsEngine;
import dev.mtls.boot.tomcat.MtlsTomcatProtocolCustomizer;
import dev.mtls.boot.tomcat.MtlsTomcatWebServerFactoryCustomizer;
import dev.mtls.boot.web.server.ExternalServletContainerCheck;
import dev.mtls.boot.web.server.MtlsWebServerFactoryCustomizer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

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

	/**
	 * The idle time after which every server closes a kept-alive mTLS connection, unless
	 * the server's own property sets it.
	 */
	static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

	@Bean
	@ConditionalOnMissingBean
	MtlsWebServerFactoryCustomizer mtlsWebServerFactoryCustomizer(MtlsProperties properties, SslBundles sslBundles) {
		return new MtlsWebServerFactoryCustomizer(properties.getServer().getClientAuth(), sslBundles);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext")
	static ExternalServletContainerCheck mtlsExternalServletContainerCheck(ApplicationContext context) {
		return new ExternalServletContainerCheck(context);
	}

	@Bean
	@ConditionalOnMissingBean
	ServerTlsEngine serverTlsEngine(MtlsProperties properties, MtlsTlsMaterial material,
			ResourceLoader resourceLoader) {
		ServerTlsEngine engine = (properties.getServer().getEngine() == TlsEngine.CONSCRYPT)
				? ServerTlsEngine.conscrypt(material, resourceLoader.getClassLoader()) : ServerTlsEngine.jdk(material);
		engine.checkCipherSuites(properties.getServer().getCipherSuites());
		return engine;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
	static class TomcatConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MtlsTomcatWebServerFactoryCustomizer mtlsTomcatWebServerFactoryCustomizer(ServerTlsEngine serverTlsEngine,
				MtlsProperties properties) {
			return new MtlsTomcatWebServerFactoryCustomizer(serverTlsEngine, properties.getServer().getClientAuth(),
					"mtls.server.client-auth");
		}

		@Bean
		@ConditionalOnMissingBean
		MtlsTomcatProtocolCustomizer mtlsTomcatProtocolCustomizer() {
			return new MtlsTomcatProtocolCustomizer();
		}

		@Bean
		@ConditionalOnMissingBean
		MtlsTomcatKeepAliveCustomizer mtlsTomcatKeepAliveCustomizer(Environment environment) {
			return new MtlsTomcatKeepAliveCustomizer(
					environment.containsProperty("server.tomcat.keep-alive-timeout") ? null : IDLE_TIMEOUT,
					environment.containsProperty("server.tomcat.max-keep-alive-requests") ? null
							: MtlsTomcatKeepAliveCustomizer.DEFAULT_MAX_KEEP_ALIVE_REQUESTS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.eclipse.jetty.server.Server",
			"org.springframework.boot.jetty.ConfigurableJettyWebServerFactory" })
	static class JettyConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MtlsJettyWebServerFactoryCustomizer mtlsJettyWebServerFactoryCustomizer(ServerTlsEngine serverTlsEngine,
				MtlsProperties properties) {
			return new MtlsJettyWebServerFactoryCustomizer(serverTlsEngine, properties.getServer().getClientAuth(),
					"mtls.server.client-auth");
		}

		@Bean
		@ConditionalOnMissingBean
		MtlsJettyIdleTimeoutCustomizer mtlsJettyIdleTimeoutCustomizer(Environment environment) {
			return new MtlsJettyIdleTimeoutCustomizer(
					environment.containsProperty("server.jetty.connection-idle-timeout") ? null : IDLE_TIMEOUT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.netty.http.server.HttpServer",
			"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory" })
	static class NettyConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MtlsNettyWebServerFactoryCustomizer mtlsNettyWebServerFactoryCustomizer(ServerTlsEngine serverTlsEngine,
				SslBundles sslBundles) {
			return new MtlsNettyWebServerFactoryCustomizer(serverTlsEngine, sslBundles);
		}

		@Bean
		@ConditionalOnMissingBean
		MtlsNettyIdleTimeoutCustomizer mtlsNettyIdleTimeoutCustomizer(Environment environment) {
			return MtlsNettyIdleTimeoutCustomizer.of(environment);
		}

	}

}
