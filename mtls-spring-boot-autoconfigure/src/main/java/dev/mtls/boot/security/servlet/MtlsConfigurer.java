package dev.mtls.boot.security.servlet;

import dev.mtls.boot.security.CertificateAuthenticationProvider;
import dev.mtls.boot.security.CertificateAuthenticator;
import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Applies the starter's mTLS security to an {@link HttpSecurity} in one call: the
 * verified client certificate of each request becomes its principal (401 without one),
 * and the {@code mtls.authorization} rules decide every request.
 *
 * <pre class="code">
 * &#64;Bean
 * SecurityFilterChain api(HttpSecurity http) {
 *     http.with(MtlsConfigurer.mtls(), Customizer.withDefaults());
 *     http.cors(Customizer.withDefaults());
 *     return http.build();
 * }
 * </pre>
 *
 * Use {@link #authenticationOnly()} to keep your own {@code authorizeHttpRequests}, with
 * {@link IdentityAuthorizationManager} for identity checks. The starter's provider and
 * rules are taken from the application context unless set here.
 *
 * @since 0.1.0
 */
public final class MtlsConfigurer extends AbstractHttpConfigurer<MtlsConfigurer, HttpSecurity> {

	private @Nullable AuthenticationProvider authenticationProvider;

	private @Nullable AuthorizationRules authorizationRules;

	private boolean authorize = true;

	private MtlsConfigurer() {
	}

	/**
	 * Create a configurer that applies certificate authentication and the authorization
	 * rules.
	 * @return the configurer
	 */
	public static MtlsConfigurer mtls() {
		return new MtlsConfigurer();
	}

	/**
	 * Use this provider rather than a {@link CertificateAuthenticationProvider} over the
	 * application context's {@link CertificateAuthenticator}.
	 * @param authenticationProvider the provider
	 * @return this configurer
	 */
	public MtlsConfigurer authenticationProvider(AuthenticationProvider authenticationProvider) {
		this.authenticationProvider = authenticationProvider;
		return this;
	}

	/**
	 * Use these rules rather than the application context's {@link AuthorizationRules}.
	 * @param authorizationRules the rules
	 * @return this configurer
	 */
	public MtlsConfigurer authorizationRules(AuthorizationRules authorizationRules) {
		this.authorizationRules = authorizationRules;
		return this;
	}

	/**
	 * Apply certificate authentication only, leaving authorization to the chain.
	 * @return this configurer
	 */
	public MtlsConfigurer authenticationOnly() {
		this.authorize = false;
		return this;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void init(HttpSecurity http) {
		ExceptionHandlingConfigurer<HttpSecurity> exceptionHandling = http
			.getConfigurer(ExceptionHandlingConfigurer.class);
		if (exceptionHandling != null) {
			exceptionHandling.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
					AnyRequestMatcher.INSTANCE);
		}
		if (this.authorize) {
			AuthorizationRules rules = (this.authorizationRules != null) ? this.authorizationRules
					: bean(http, AuthorizationRules.class);
			// Error dispatches render the status of a request already decided.
			http.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
				.permitAll()
				.anyRequest()
				.access(rules));
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		AuthenticationProvider provider = (this.authenticationProvider != null) ? this.authenticationProvider
				: new CertificateAuthenticationProvider(bean(http, CertificateAuthenticator.class));
		ProviderManager authenticationManager = new ProviderManager(provider);
		// Published failures become audit events when Spring Boot's auditing is on.
		AuthenticationEventPublisher eventPublisher = eventPublisher(http);
		if (eventPublisher != null) {
			authenticationManager.setAuthenticationEventPublisher(eventPublisher);
		}
		CertificateChainAuthenticationFilter filter = new CertificateChainAuthenticationFilter(authenticationManager,
				getSecurityContextHolderStrategy());
		http.addFilterAt(postProcess(filter), X509AuthenticationFilter.class);
	}

	private static @Nullable AuthenticationEventPublisher eventPublisher(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		if (context == null) {
			return null;
		}
		AuthenticationEventPublisher publisher = context.getBeanProvider(AuthenticationEventPublisher.class)
			.getIfUnique();
		return new FailuresOnly((publisher != null) ? publisher : new DefaultAuthenticationEventPublisher(context));
	}

	private static <T> T bean(HttpSecurity http, Class<T> type) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		if (context == null) {
			throw new IllegalStateException(
					"No application context: pass the " + type.getSimpleName() + " to MtlsConfigurer explicitly");
		}
		return context.getBean(type);
	}

	/**
	 * Publishes failures only. A certificate authenticates every request anew, so a
	 * success event per request says nothing an audit needs and costs a good share of the
	 * authentication; the {@code mtls.authentication} metric counts successes.
	 */
	private record FailuresOnly(AuthenticationEventPublisher delegate) implements AuthenticationEventPublisher {

		@Override
		public void publishAuthenticationSuccess(Authentication authentication) {
		}

		@Override
		public void publishAuthenticationFailure(AuthenticationException exception, Authentication authentication) {
			this.delegate.publishAuthenticationFailure(exception, authentication);
		}

	}

}
