package dev.mtls.boot.security.reactive;

import dev.mtls.boot.security.CertificateAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;

/**
 * Applies the starter's mTLS security to a {@link ServerHttpSecurity} in one call, the
 * WebFlux counterpart of {@code MtlsConfigurer} ({@code ServerHttpSecurity} has no
 * {@code with(configurer)}): the verified client certificate of each exchange becomes its
 * principal (401 without one), and the {@code mtls.authorization} rules decide every
 * exchange. The starter registers one as a bean in reactive web applications.
 *
 * <pre class="code">
 * &#64;Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, MtlsWebFluxSecurity mtls) {
 *     mtls.applyTo(http);
 *     http.cors(Customizer.withDefaults());
 *     return http.build();
 * }
 * </pre>
 *
 * Use {@link #authenticationOnly()} to keep your own {@code authorizeExchange}, with
 * {@link ReactiveIdentityAuthorizationManager} for identity checks. Either sets a 401
 * entry point; configure your own {@code exceptionHandling} after it to change that.
 * <p>
 * It is deliberately not a {@code Customizer<ServerHttpSecurity>}: Spring Security
 * applies every such bean to every {@code ServerHttpSecurity} of the application.
 *
 * @since 0.1.0
 */
public final class MtlsWebFluxSecurity {

	private final ReactiveAuthenticationManager authenticationManager;

	private final @Nullable ReactiveAuthorizationRules authorizationRules;

	private final @Nullable AuthenticationEventPublisher eventPublisher;

	/**
	 * Create one that publishes no authentication failures.
	 * @param authenticator authenticates certificate chains
	 * @param authorizationRules the rules
	 */
	public MtlsWebFluxSecurity(CertificateAuthenticator authenticator, ReactiveAuthorizationRules authorizationRules) {
		this(new CertificateReactiveAuthenticationManager(authenticator), authorizationRules, null);
	}

	/**
	 * Create one.
	 * @param authenticationManager authenticates certificate chains (a
	 * {@link CertificateReactiveAuthenticationManager} or one of your own)
	 * @param authorizationRules the rules, or {@code null} for authentication only
	 * @param eventPublisher publishes refused certificates (Spring Boot's auditing turns
	 * them into audit events), or {@code null}
	 */
	public MtlsWebFluxSecurity(ReactiveAuthenticationManager authenticationManager,
			@Nullable ReactiveAuthorizationRules authorizationRules,
			@Nullable AuthenticationEventPublisher eventPublisher) {
		this.authenticationManager = authenticationManager;
		this.authorizationRules = authorizationRules;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Return one that applies certificate authentication only, leaving authorization to
	 * the chain.
	 * @return the authentication-only variant
	 */
	public MtlsWebFluxSecurity authenticationOnly() {
		return new MtlsWebFluxSecurity(this.authenticationManager, null, this.eventPublisher);
	}

	/**
	 * Apply certificate authentication and, unless {@link #authenticationOnly()}, the
	 * authorization rules to every exchange.
	 * @param http the chain's builder
	 * @return the builder
	 */
	public ServerHttpSecurity applyTo(ServerHttpSecurity http) {
		http.addFilterAt(new CertificateAuthenticationWebFilter(this.authenticationManager, this.eventPublisher),
				SecurityWebFiltersOrder.AUTHENTICATION);
		http.exceptionHandling((exceptions) -> exceptions
			.authenticationEntryPoint(new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED)));
		ReactiveAuthorizationRules rules = this.authorizationRules;
		if (rules != null) {
			http.authorizeExchange((exchanges) -> exchanges.anyExchange().access(rules));
		}
		return http;
	}

}
