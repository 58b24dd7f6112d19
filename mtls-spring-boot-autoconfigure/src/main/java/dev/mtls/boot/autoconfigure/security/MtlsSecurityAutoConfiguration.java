package dev.mtls.boot.autoconfigure.security;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;

/**
 * Auto-configuration of Spring Security for mTLS: unless the application declares its
 * own {@link SecurityFilterChain}, every request needs a verified client certificate,
 * which becomes the principal.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MtlsAutoConfiguration.class,
		before = { ManagementWebSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, X509AuthenticationFilter.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(MtlsProperties.class)
public final class MtlsSecurityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(MtlsSecurityAutoConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDefaultWebSecurity
	static class MtlsSecurityFilterChainConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CertificateAuthenticationProvider certificateAuthenticationProvider() {
			return new CertificateAuthenticationProvider();
		}

		@Bean
		@Order(SecurityFilterProperties.BASIC_AUTH_ORDER)
		SecurityFilterChain mtlsSecurityFilterChain(HttpSecurity http, CertificateAuthenticationProvider provider,
				MtlsProperties properties) {
			if (properties.getServer().getClientAuth() == Ssl.ClientAuth.NONE) {
				logger.warn("mtls.server.client-auth=none: no client presents a certificate, so every request "
						+ "to the default security filter chain is answered with 401");
			}
			http.with(new MtlsConfigurer(provider), Customizer.withDefaults());
			http.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
			http.requestCache((cache) -> cache.disable());
			http.csrf((csrf) -> csrf.disable());
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			return http.build();
		}

	}

}
