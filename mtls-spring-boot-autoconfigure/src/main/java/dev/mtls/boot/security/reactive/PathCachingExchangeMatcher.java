package dev.mtls.boot.security.reactive;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

/**
 * Remembers whether another matcher matches, per application context and path within the
 * application, for matchers whose answer depends on nothing else and whose variables
 * nobody reads, such as Spring Boot's {@code EndpointRequest} matchers behind a
 * {@code permitAll()}. Those build several Reactor operators and path matches per
 * exchange, a measurable share of a small request's CPU on every request a chain sees.
 * <p>
 * The paths remembered are bounded in number and length: past the bound, the matcher is
 * asked as before, so that requests with paths of a caller's choosing cannot grow the
 * memory it holds.
 *
 * @since 0.1.0
 */
public final class PathCachingExchangeMatcher implements ServerWebExchangeMatcher {

	static final int MAX_PATHS = 1024;

	static final int MAX_PATH_LENGTH = 256;

	private static final Mono<MatchResult> MATCH = MatchResult.match();

	private static final Mono<MatchResult> NOT_MATCH = MatchResult.notMatch();

	private final ServerWebExchangeMatcher matcher;

	private final Map<Key, Boolean> results = new ConcurrentHashMap<>();

	/**
	 * Remember the answers of a matcher.
	 * @param matcher a matcher whose answer depends only on the application context and
	 * the path within the application
	 */
	public PathCachingExchangeMatcher(ServerWebExchangeMatcher matcher) {
		this.matcher = matcher;
	}

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		Key key = key(exchange);
		if (key == null) {
			return this.matcher.matches(exchange);
		}
		Boolean known = this.results.get(key);
		if (known != null) {
			return known ? MATCH : NOT_MATCH;
		}
		return this.matcher.matches(exchange).doOnNext((result) -> remember(key, result.isMatch()));
	}

	/**
	 * Return the remembered answer for an exchange, without asking the matcher.
	 * @param exchange the exchange
	 * @return whether the matcher matched the exchange's path, or {@code null} when that
	 * is not remembered
	 */
	@Nullable Boolean remembered(ServerWebExchange exchange) {
		Key key = key(exchange);
		return (key != null) ? this.results.get(key) : null;
	}

	private static @Nullable Key key(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		return (path.length() <= MAX_PATH_LENGTH) ? new Key(exchange.getApplicationContext(), path) : null;
	}

	private void remember(Key key, boolean match) {
		if (this.results.size() < MAX_PATHS) {
			this.results.put(key, match);
		}
	}

	int size() {
		return this.results.size();
	}

	private record Key(@Nullable ApplicationContext context, String path) {

		@Override
		public boolean equals(@Nullable Object obj) {
			// The same context, not an equal one.
			return (obj instanceof Key other) && this.context == other.context && this.path.equals(other.path);
		}

		@Override
		public int hashCode() {
			return 31 * System.identityHashCode(this.context) + this.path.hashCode();
		}

	}

}
