package dev.mtls.boot.autoconfigure.security.reactive;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.autoconfigure.security.HealthRuleCheckConfiguration;
import dev.mtls.boot.autoconfigure.security.MtlsSecurityConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.security.reactive.CertificateReactiveAuthenticationManager;
import dev.mtls.boot.security.reactive.MtlsWebFluxSecurity;
import dev.mtls.boot.security.reactive.PathCachingExchangeMatcher;
import dev.mtls.boot.security.reactive.ReactiveAuthorizationRules;
import dev.mtls.boot.security.reactive.ReactiveMtlsSecurityExpressions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of Spring Security for mTLS in reactive (WebFlux) applications:
 * certificate identities and authorities, the {@code mtls.authorization} rules, the
 * {@code @mtls} SpEL bean, the {@link MtlsWebFluxSecurity} for applications that write
 * their own chain, and, unless the application declares its own
 * {@link SecurityWebFilterChain}, a stateless chain that applies them to every exchange.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MtlsAutoConfiguration.class,
		before = { ReactiveManagementWebSecurityAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class,
				ReactiveUserDetailsServiceAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnClass({ Flux.class, SecurityWebFilterChain.class, ServerHttpSecurity.class, EnableWebFluxSecurity.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@Import(MtlsSecurityConfiguration.class)
public final class MtlsReactiveSecurityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(MtlsReactiveSecurityAutoConfiguration.class);

	private static final String HEALTH_ENDPOINT = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint";

	@Bean
	@ConditionalOnMissingBean
	ReactiveAuthorizationRules reactiveAuthorizationRules(AuthorizationRuleSet ruleSet,
			ObjectProvider<AuthorizationEventPublisher> eventPublisher, ApplicationEventPublisher applicationEvents) {
		ReactiveAuthorizationRules rules = new ReactiveAuthorizationRules(ruleSet);
		// As a servlet chain's authorizeHttpRequests does: denials become events.
		rules.setAuthorizationEventPublisher(
				eventPublisher.getIfUnique(() -> new SpringAuthorizationEventPublisher(applicationEvents)));
		return rules;
	}

	@Bean
	@ConditionalOnMissingBean
	MtlsWebFluxSecurity mtlsWebFluxSecurity(CertificateAuthenticator authenticator, ReactiveAuthorizationRules rules,
			ObjectProvider<AuthenticationEventPublisher> eventPublisher, ApplicationEventPublisher applicationEvents) {
		// Published failures become audit events when Spring Boot's auditing is on.
		return new MtlsWebFluxSecurity(new CertificateReactiveAuthenticationManager(authenticator), rules,
				eventPublisher.getIfUnique(() -> new DefaultAuthenticationEventPublisher(applicationEvents)));
	}

	@Bean(name = "mtls")
	@ConditionalOnMissingBean(name = "mtls")
	ReactiveMtlsSecurityExpressions reactiveMtlsSecurityExpressions() {
		return new ReactiveMtlsSecurityExpressions();
	}

	// As Boot's @ConditionalOnDefaultReactiveWebSecurity, which 4.0 lacks: the classes
	// are checked on the auto-configuration.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	// The chain lets health through before the rules.
	@Import(HealthRuleCheckConfiguration.class)
	static class MtlsSecurityWebFilterChainConfiguration {

		// Keeps Spring Boot from creating an in-memory user with a generated password.
		@Bean
		@ConditionalOnMissingBean(ReactiveAuthenticationManager.class)
		CertificateReactiveAuthenticationManager certificateReactiveAuthenticationManager(
				CertificateAuthenticator authenticator) {
			return new CertificateReactiveAuthenticationManager(authenticator);
		}

		@Bean
		SecurityWebFilterChain mtlsSecurityWebFilterChain(ServerHttpSecurity http, MtlsWebFluxSecurity mtls,
				MtlsProperties properties) {
			if (properties.getServer().getClientAuth() == Ssl.ClientAuth.NONE) {
				logger.warn("mtls.server.client-auth=none: no client presents a certificate, so only "
						+ "permit-all rules (or mtls.authorization.default=permit) let requests through");
			}
			if (mtls.isAuthenticationOnly()) {
				// It would leave this chain without any authorization.
				throw new MtlsConfigurationException("mtls.authorization", null,
						"the application's MtlsWebFluxSecurity bean applies authentication only, so the starter's "
								+ "default SecurityWebFilterChain would authorize no request",
						"Define your own SecurityWebFilterChain that adds its authorization to "
								+ "mtls.authenticationOnly().applyTo(http), or let the starter create the "
								+ "MtlsWebFluxSecurity bean so that the default chain applies mtls.authorization.");
			}
			// As Spring Boot does: health probes need no credentials, on either port.
			ServerWebExchangeMatcher health = ClassUtils.isPresent(HEALTH_ENDPOINT, getClass().getClassLoader())
					? new PathCachingExchangeMatcher(HealthExchanges.matcher()) : null;
			// The rules, decided with the authentication, are the only authorization.
			mtls.applyAsSoleAuthorization(http, health);
			// Stateless: the security context lives in the exchange only; no session is
			// read, created or used to save a request.
			http.securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
			http.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()));
			http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable);
			http.formLogin(ServerHttpSecurity.FormLoginSpec::disable);
			http.logout(ServerHttpSecurity.LogoutSpec::disable);
			if (!properties.getAuthorization().isCsrf()) {
				http.csrf(ServerHttpSecurity.CsrfSpec::disable);
			}
			return http.build();
		}

	}

}
