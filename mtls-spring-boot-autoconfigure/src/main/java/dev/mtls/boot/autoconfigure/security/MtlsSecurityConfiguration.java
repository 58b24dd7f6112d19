package dev.mtls.boot.autoconfigure.security;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.MtlsListeners;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.security.CertificateAuthoritiesMapper;
import dev.mtls.boot.security.ClientChainVerifier;
import dev.mtls.boot.tls.MtlsTlsMaterial;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Spring Security beans of either web stack: certificate authorities, the
 * authenticator and the {@code mtls.authorization} rules. Imported by the servlet and the
 * reactive security auto-configurations, of which at most one applies; not for
 * applications to import.
 *
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MtlsProperties.class)
public final class MtlsSecurityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CertificateAuthoritiesMapper certificateAuthoritiesMapper(MtlsProperties properties) {
		return MtlsSecurityPropertiesMapper.authoritiesMapper(properties.getPrincipal());
	}

	@Bean
	@ConditionalOnMissingBean
	CertificateAuthenticator certificateAuthenticator(MtlsProperties properties,
			CertificateAuthoritiesMapper authoritiesMapper, ObjectProvider<MtlsListeners> listeners,
			ObjectProvider<MtlsTlsMaterial> material, Environment environment) {
		MtlsTlsMaterial available = material.getIfAvailable();
		ClientChainVerifier verifier = (available != null) ? available::verifyClient : (chain) -> {
		};
		CertificateAuthenticator authenticator = new CertificateAuthenticator(principalName(properties, environment),
				authoritiesMapper, listener(listeners), verifier);
		if (available != null) {
			authenticator.setForwardedVerifier(available::verifyForwardedClient);
			authenticator.setLocalTrustDomain(available::getLocalTrustDomain);
		}
		return authenticator;
	}

	@Bean
	@ConditionalOnMissingBean
	AuthorizationRuleSet authorizationRuleSet(MtlsProperties properties, ObjectProvider<MtlsListeners> listeners) {
		return MtlsSecurityPropertiesMapper.authorizationRules(properties.getAuthorization(), listener(listeners));
	}

	// With SPIFFE, peers are named by their SPIFFE ID unless the application says
	// otherwise.
	static PrincipalName principalName(MtlsProperties properties, Environment environment) {
		if (properties.getSpiffe().isEnabled() && !environment.containsProperty("mtls.principal.name")) {
			return PrincipalName.SPIFFE_ID;
		}
		return properties.getPrincipal().getName();
	}

	private static MtlsListener listener(ObjectProvider<MtlsListeners> listeners) {
		MtlsListeners available = listeners.getIfAvailable();
		return (available != null) ? available.dispatcher() : MtlsListener.NONE;
	}

}
