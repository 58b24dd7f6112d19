package dev.mtls.boot.security.reactive;

import dev.mtls.boot.security.IdentityAuthorizationDecision;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.HttpStatusServerAccessDeniedHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Authenticates the client certificate of an exchange and decides the exchange by the
 * {@code mtls.authorization} rules in the same step, on the calling thread, for a chain
 * whose only authorization is those rules (the starter's default chain). Exchanges the
 * permit matcher matches (the health endpoints) go on without the rules.
 * <p>
 * The answers are those of {@link CertificateAuthenticationWebFilter} followed by Spring
 * Security's authorization with {@link ReactiveAuthorizationRules}: a denied exchange
 * without an authentication goes to the entry point (401), one with an authentication to
 * the access denied handler (403), with the same denial log, listener calls and events.
 * Deciding here spares each exchange the Reactor operators of reading the authentication
 * back from the security context and of the authorization filter's matchers: a tenth of a
 * small request's CPU on an event loop (BENCHMARKS.md).
 */
final class CertificateAccessWebFilter extends CertificateAuthenticationWebFilter {

	private final ReactiveAuthorizationRules rules;

	private final @Nullable ServerWebExchangeMatcher permitted;

	private final ServerAuthenticationEntryPoint entryPoint;

	private final ServerAccessDeniedHandler accessDeniedHandler = new HttpStatusServerAccessDeniedHandler(
			HttpStatus.FORBIDDEN);

	CertificateAccessWebFilter(ReactiveAuthenticationManager authenticationManager,
			@Nullable AuthenticationEventPublisher eventPublisher, ReactiveAuthorizationRules rules,
			@Nullable ServerWebExchangeMatcher permitted, ServerAuthenticationEntryPoint entryPoint) {
		super(authenticationManager, eventPublisher);
		this.rules = rules;
		this.permitted = permitted;
		this.entryPoint = entryPoint;
	}

	@Override
	Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, @Nullable Authentication authentication) {
		ServerWebExchangeMatcher permitted = this.permitted;
		if (permitted == null) {
			return decide(exchange, chain, authentication);
		}
		Boolean remembered = (permitted instanceof PathCachingExchangeMatcher caching) ? caching.remembered(exchange)
				: null;
		if (remembered != null) {
			return remembered ? super.proceed(exchange, chain, authentication)
					: decide(exchange, chain, authentication);
		}
		return permitted.matches(exchange)
			.flatMap((result) -> result.isMatch() ? super.proceed(exchange, chain, authentication)
					: decide(exchange, chain, authentication));
	}

	private Mono<Void> decide(ServerWebExchange exchange, WebFilterChain chain,
			@Nullable Authentication authentication) {
		IdentityAuthorizationDecision decision = this.rules.authorizeNow(exchange, authentication);
		if (decision.isGranted()) {
			return super.proceed(exchange, chain, authentication);
		}
		// As Spring Security's exception translation answers an authorization filter's
		// denial.
		AuthorizationDeniedException denied = new AuthorizationDeniedException("Access Denied", decision);
		if (authentication == null) {
			return this.entryPoint.commence(exchange,
					new AuthenticationCredentialsNotFoundException("Not Authenticated", denied));
		}
		return this.accessDeniedHandler.handle(exchange, denied);
	}

}
