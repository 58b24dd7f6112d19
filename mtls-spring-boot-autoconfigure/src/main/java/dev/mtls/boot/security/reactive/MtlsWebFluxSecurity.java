package dev.mtls.boot.security.reactive;

import dev.mtls.boot.security.CertificateAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.security.web.server.authorization.ExceptionTranslationWebFilter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.Assert;

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
 * {@link #applyAsSoleAuthorization(ServerHttpSecurity, ServerWebExchangeMatcher)} answers
 * the rules' denials, and method security's, itself (401, 403).
 * <p>
 * It is deliberately not a {@code Customizer<ServerHttpSecurity>}: Spring Security
 * applies every such bean to every {@code ServerHttpSecurity} of the application.
 *
 * @since 0.1.0
 */
public final class MtlsWebFluxSecurity {

	private static final ServerAuthenticationEntryPoint UNAUTHORIZED = new HttpStatusServerEntryPoint(
			HttpStatus.UNAUTHORIZED);

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
	 * Return whether this applies certificate authentication only
	 * ({@link #authenticationOnly()}), leaving authorization to the chain.
	 * @return whether it has no rules
	 */
	public boolean isAuthenticationOnly() {
		return this.authorizationRules == null;
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
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(UNAUTHORIZED));
		ReactiveAuthorizationRules rules = this.authorizationRules;
		if (rules != null) {
			http.authorizeExchange((exchanges) -> exchanges.anyExchange().access(rules));
		}
		return http;
	}

	/**
	 * Apply certificate authentication and the authorization rules in one filter, for a
	 * chain whose only authorization is the rules: the same answers as
	 * {@link #applyTo(ServerHttpSecurity)}, for less CPU per exchange. It configures no
	 * {@code authorizeExchange}, whose filter would read the authentication back to
	 * decide nothing, and adds the exception translation Spring Security adds only with
	 * one: denials from further on (method security) are answered 401 without an
	 * authentication and 403 with one. An {@code authorizeExchange} the chain adds
	 * decides after the rules, and its exception translation, with the chain's
	 * {@code exceptionHandling}, answers first. The starter's default chain is built this
	 * way.
	 * @param http the chain's builder
	 * @param permitted the exchanges let through without the rules (such as the health
	 * endpoints; a {@link PathCachingExchangeMatcher} answers without Reactor operators
	 * once it knows a path), or {@code null}
	 * @return the builder
	 * @throws IllegalStateException if this applies authentication only
	 */
	public ServerHttpSecurity applyAsSoleAuthorization(ServerHttpSecurity http,
			@Nullable ServerWebExchangeMatcher permitted) {
		ReactiveAuthorizationRules rules = this.authorizationRules;
		Assert.state(rules != null, "An authentication-only MtlsWebFluxSecurity has no rules to authorize with");
		http.addFilterAt(new CertificateAccessWebFilter(this.authenticationManager, this.eventPublisher, rules,
				permitted, UNAUTHORIZED), SecurityWebFiltersOrder.AUTHENTICATION);
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(UNAUTHORIZED));
		ExceptionTranslationWebFilter exceptionTranslation = new ExceptionTranslationWebFilter();
		exceptionTranslation.setAuthenticationEntryPoint(UNAUTHORIZED);
		http.addFilterAt(exceptionTranslation, SecurityWebFiltersOrder.EXCEPTION_TRANSLATION);
		return http;
	}

}
