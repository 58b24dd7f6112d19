package dev.mtls.boot.security.reactive;

import java.util.Optional;

import dev.mtls.boot.security.IdentityAuthorizationManager;
import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;

/**
 * A {@link ReactiveAuthorizationManager} that permits callers whose certificate matches
 * any of some identity patterns, for WebFlux applications that write their own
 * {@code SecurityWebFilterChain}; the reactive counterpart of
 * {@link IdentityAuthorizationManager}.
 *
 * <pre class="code">
 * http.authorizeExchange((exchanges) -&gt; exchanges
 *     .pathMatchers("/ops/**").access(ReactiveIdentityAuthorizationManager.allow("spiffe://acme.org/ns/ops/**"))
 *     .anyExchange().authenticated());
 * </pre>
 *
 * @param <T> the type of object authorized
 * @since 0.1.0
 */
public final class ReactiveIdentityAuthorizationManager<T> implements ReactiveAuthorizationManager<T> {

	private final IdentityAuthorizationManager<T> delegate;

	private ReactiveIdentityAuthorizationManager(IdentityAuthorizationManager<T> delegate) {
		this.delegate = delegate;
	}

	/**
	 * Create a manager permitting callers that match any of the patterns.
	 * @param <T> the type of object authorized
	 * @param patterns identity patterns
	 * @return the manager
	 * @throws dev.mtls.boot.identity.InvalidIdentityPatternException if a pattern does
	 * not parse
	 */
	public static <T> ReactiveIdentityAuthorizationManager<T> allow(String... patterns) {
		return new ReactiveIdentityAuthorizationManager<>(IdentityAuthorizationManager.allow(patterns));
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, T object) {
		return authentication.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map((current) -> this.delegate.authorize(() -> current.orElse(null), object));
	}

}
