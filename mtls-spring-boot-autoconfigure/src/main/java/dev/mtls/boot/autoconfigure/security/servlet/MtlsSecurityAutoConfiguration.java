package dev.mtls.boot.autoconfigure.security.servlet;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.autoconfigure.security.HealthRuleCheckConfiguration;
import dev.mtls.boot.autoconfigure.security.MtlsSecurityConfiguration;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.CertificateAuthenticationProvider;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.security.MtlsSecurityExpressions;
import dev.mtls.boot.security.servlet.AuthorizationRules;
import dev.mtls.boot.security.servlet.MtlsConfigurer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of Spring Security for mTLS: certificate identities and authorities,
 * the {@code mtls.authorization} rules, the {@code @mtls} SpEL bean, and, unless the
 * application declares its own {@link SecurityFilterChain}, a stateless chain that
 * applies them to every request.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MtlsAutoConfiguration.class,
		before = { ManagementWebSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, X509AuthenticationFilter.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@Import(MtlsSecurityConfiguration.class)
public final class MtlsSecurityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(MtlsSecurityAutoConfiguration.class);

	private static final String HEALTH_ENDPOINT = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint";

	@Bean
	@ConditionalOnMissingBean
	AuthorizationRules authorizationRules(AuthorizationRuleSet ruleSet) {
		return new AuthorizationRules(ruleSet);
	}

	@Bean(name = "mtls")
	@ConditionalOnMissingBean(name = "mtls")
	MtlsSecurityExpressions mtlsSecurityExpressions() {
		return new MtlsSecurityExpressions();
	}

	// As Boot's @ConditionalOnDefaultWebSecurity, deprecated in 4.1 for a replacement
	// that 4.0 lacks: the classes are checked on the auto-configuration.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SecurityFilterChain.class)
	// The chain lets health through before the rules.
	@Import(HealthRuleCheckConfiguration.class)
	static class MtlsSecurityFilterChainConfiguration {

		// A provider bean also keeps Spring Boot from creating an in-memory user.
		@Bean
		@ConditionalOnMissingBean
		CertificateAuthenticationProvider certificateAuthenticationProvider(CertificateAuthenticator authenticator) {
			return new CertificateAuthenticationProvider(authenticator);
		}

		@Bean
		@Order(SecurityFilterProperties.BASIC_AUTH_ORDER)
		SecurityFilterChain mtlsSecurityFilterChain(HttpSecurity http, CertificateAuthenticationProvider provider,
				MtlsProperties properties) {
			if (properties.getServer().getClientAuth() == Ssl.ClientAuth.NONE) {
				logger.warn("mtls.server.client-auth=none: no client presents a certificate, so only "
						+ "permit-all rules (or mtls.authorization.default=permit) let requests through");
			}
			if (ClassUtils.isPresent(HEALTH_ENDPOINT, getClass().getClassLoader())) {
				// As Spring Boot does: probes reach health without credentials, on either
				// port.
				http.authorizeHttpRequests(
						(requests) -> requests.requestMatchers(HealthRequests.matcher()).permitAll());
			}
			http.with(MtlsConfigurer.mtls().authenticationProvider(provider), Customizer.withDefaults());
			// Stateless: the security context lives in the request only, and without
			// session
			// management two filters per request (session checks, URL encoding) go away.
			http.securityContext(
					(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()));
			http.sessionManagement((session) -> session.disable());
			http.requestCache((cache) -> cache.disable());
			http.logout((logout) -> logout.disable());
			if (!properties.getAuthorization().isCsrf()) {
				http.csrf((csrf) -> csrf.disable());
			}
			return http.build();
		}

	}

}
