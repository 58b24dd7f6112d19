package dev.mtls.boot.security.reactive;

import dev.mtls.boot.security.CertificateAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;

/**
 * Applies the starter's mTLS security to a {@link ServerHttpSecurity} in one call, the
 * WebFlux counterpart of {@code MtlsConfigurer}: the verified client certificate of each
 * exchange becomes its principal (401 without one), and the {@code mtls.authorization}
 * rules decide every exchange. The starter registers one as a bean in reactive web
 * applications.
 *
 * <pre class="code">
 * &#64;Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, MtlsServerHttpSecurityCustomizer mtls) {
 *     mtls.customize(http);
 *     http.cors(Customizer.withDefaults());
 *     return http.build();
 * }
 * </pre>
 *
 * Use {@link #authenticationOnly()} to keep your own {@code authorizeExchange}, with
 * {@link ReactiveIdentityAuthorizationManager} for identity checks. Either sets a 401
 * entry point; set your own {@code exceptionHandling} after it to change that.
 *
 * @since 0.1.0
 */
public final class MtlsServerHttpSecurityCustomizer implements Customizer<ServerHttpSecurity> {

	private final ReactiveAuthenticationManager authenticationManager;

	private final ReactiveAuthorizationRules authorizationRules;

	private final @Nullable AuthenticationEventPublisher eventPublisher;

	/**
	 * Create a customizer that publishes no authentication failures.
	 * @param authenticator authenticates certificate chains
	 * @param authorizationRules the rules
	 */
	public MtlsServerHttpSecurityCustomizer(CertificateAuthenticator authenticator,
			ReactiveAuthorizationRules authorizationRules) {
		this(new CertificateReactiveAuthenticationManager(authenticator), authorizationRules, null);
	}

	/**
	 * Create a customizer.
	 * @param authenticationManager authenticates certificate chains (a
	 * {@link CertificateReactiveAuthenticationManager} or one of your own)
	 * @param authorizationRules the rules
	 * @param eventPublisher publishes refused certificates (Spring Boot's auditing turns
	 * them into audit events), or {@code null}
	 */
	public MtlsServerHttpSecurityCustomizer(ReactiveAuthenticationManager authenticationManager,
			ReactiveAuthorizationRules authorizationRules, @Nullable AuthenticationEventPublisher eventPublisher) {
		this.authenticationManager = authenticationManager;
		this.authorizationRules = authorizationRules;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Apply certificate authentication and the authorization rules.
	 * @param http the chain's builder
	 */
	@Override
	public void customize(ServerHttpSecurity http) {
		authenticate(http);
		http.authorizeExchange((exchanges) -> exchanges.anyExchange().access(this.authorizationRules));
	}

	/**
	 * Return a customizer that applies certificate authentication only, leaving
	 * authorization to the chain.
	 * @return the customizer
	 */
	public Customizer<ServerHttpSecurity> authenticationOnly() {
		return this::authenticate;
	}

	private void authenticate(ServerHttpSecurity http) {
		http.addFilterAt(new CertificateAuthenticationWebFilter(this.authenticationManager, this.eventPublisher),
				SecurityWebFiltersOrder.AUTHENTICATION);
		http.exceptionHandling((exceptions) -> exceptions
			.authenticationEntryPoint(new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED)));
	}

}
