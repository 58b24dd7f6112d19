package dev.mtls.boot.autoconfigure.actuate;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.servlet.ForwardedCertificateFilter;
import dev.mtls.boot.forwarded.servlet.ForwardedCertificateFilterRegistration;
import dev.mtls.boot.jetty.MtlsJettyWebServerFactoryCustomizer;
import dev.mtls.boot.netty.MtlsNettyIdleTimeoutCustomizer;
import dev.mtls.boot.netty.MtlsNettyWebServerFactoryCustomizer;
import dev.mtls.boot.tls.ServerTlsEngine;
import dev.mtls.boot.tomcat.MtlsTomcatProtocolCustomizer;
import dev.mtls.boot.tomcat.MtlsTomcatWebServerFactoryCustomizer;
import dev.mtls.boot.web.server.MtlsWebServerFactoryCustomizer;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes a separate management server ({@code management.server.port}) serve TLS with the
 * service's identity and the client-auth of {@code mtls.management.client-auth}, by
 * default none, so that probes need no certificate: no {@code management.server.ssl}
 * properties to restate. Its connector (Tomcat, Jetty or Reactor Netty) serves the
 * starter's own SSL context, so that policy, revocation, reloading and session limits
 * hold there as on the main port. Conditions search this context only: the main context's
 * beans never apply to the management server's factory.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
class MtlsManagementChildContextConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "mtlsManagementWebServerFactoryCustomizer", search = SearchStrategy.CURRENT)
	MtlsWebServerFactoryCustomizer mtlsManagementWebServerFactoryCustomizer(MtlsProperties properties,
			SslBundles sslBundles) {
		return new MtlsWebServerFactoryCustomizer(properties.getManagement().getClientAuth(), sslBundles);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
	static class TomcatConfiguration {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		MtlsTomcatWebServerFactoryCustomizer mtlsManagementTomcatWebServerFactoryCustomizer(
				ServerTlsEngine serverTlsEngine, MtlsProperties properties) {
			return new MtlsTomcatWebServerFactoryCustomizer(serverTlsEngine, properties.getManagement().getClientAuth(),
					"mtls.management.client-auth");
		}

		// Boot customizes the management server only with this context's customizers.
		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		MtlsTomcatProtocolCustomizer mtlsManagementTomcatProtocolCustomizer() {
			return new MtlsTomcatProtocolCustomizer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.eclipse.jetty.server.Server",
			"org.springframework.boot.jetty.ConfigurableJettyWebServerFactory" })
	static class JettyConfiguration {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		MtlsJettyWebServerFactoryCustomizer mtlsManagementJettyWebServerFactoryCustomizer(
				ServerTlsEngine serverTlsEngine, MtlsProperties properties) {
			return new MtlsJettyWebServerFactoryCustomizer(serverTlsEngine, properties.getManagement().getClientAuth(),
					"mtls.management.client-auth");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.netty.http.server.HttpServer",
			"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory" })
	static class NettyConfiguration {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		MtlsNettyWebServerFactoryCustomizer mtlsManagementNettyWebServerFactoryCustomizer(
				ServerTlsEngine serverTlsEngine, SslBundles sslBundles) {
			return new MtlsNettyWebServerFactoryCustomizer(serverTlsEngine, sslBundles);
		}

		// Netty keeps idle connections for ever; Tomcat's and Jetty's management
		// connectors close them after their own defaults.
		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		MtlsNettyIdleTimeoutCustomizer mtlsManagementNettyIdleTimeoutCustomizer(Environment environment) {
			return MtlsNettyIdleTimeoutCustomizer.of(environment);
		}

	}

	/**
	 * Boot's servlet management context takes the main context's Spring Security filter
	 * only: without the forwarded-certificate filter of its own, a trusted proxy's own
	 * certificate would be the caller there, with the forwarding headers left in place.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(FilterRegistrationBean.class)
	@ConditionalOnBean(ForwardedCertificateResolver.class)
	static class ServletForwardedConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mtlsManagementForwardedCertificateFilter", search = SearchStrategy.CURRENT)
		FilterRegistrationBean<ForwardedCertificateFilter> mtlsManagementForwardedCertificateFilter(
				ForwardedCertificateResolver resolver) {
			return ForwardedCertificateFilterRegistration.of(resolver);
		}

	}

}
