package dev.mtls.boot.autoconfigure.forwarded;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.reactive.ForwardedCertificateWebFilter;
import dev.mtls.boot.forwarded.servlet.ForwardedCertificateFilter;
import dev.mtls.boot.forwarded.servlet.ForwardedCertificateFilterRegistration;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.MtlsListeners;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration of client certificates forwarded by trusted proxies
 * ({@code mtls.forwarded.*}): the resolver, and the filter of the web stack in use, ahead
 * of every other filter.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MtlsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("mtls.forwarded.enabled")
public final class MtlsForwardedAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ForwardedCertificateResolver forwardedCertificateResolver(MtlsProperties properties, Environment environment,
			ObjectProvider<MtlsTlsMaterial> materials, ObjectProvider<MtlsListeners> listeners) {
		MtlsTlsMaterial material = materials.getIfAvailable();
		if (material == null) {
			throw new MtlsConfigurationException("mtls.forwarded.enabled", "true",
					"forwarded certificates are validated against the starter's TLS material, and the application has none",
					"Configure mtls.identity and mtls.trust (or mtls.bundle), or set mtls.forwarded.enabled=false.");
		}
		MtlsListeners available = listeners.getIfAvailable();
		MtlsListener listener = (available != null) ? available.dispatcher() : MtlsListener.NONE;
		ForwardedCertificateResolver resolver = ForwardedResolverFactory.resolver(properties.getForwarded(),
				environment, material::verifyClient, material::verifyForwardedClient, listener);
		resolver.setLocalTrustDomain(material::getLocalTrustDomain);
		return resolver;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(FilterRegistrationBean.class)
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean(ForwardedCertificateFilter.class)
		FilterRegistrationBean<ForwardedCertificateFilter> forwardedCertificateFilter(
				ForwardedCertificateResolver resolver) {
			return ForwardedCertificateFilterRegistration.of(resolver);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ WebFilter.class, Mono.class })
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ForwardedCertificateWebFilter forwardedCertificateWebFilter(ForwardedCertificateResolver resolver) {
			return new ForwardedCertificateWebFilter(resolver);
		}

	}

}
