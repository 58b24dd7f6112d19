package dev.mtls.boot.security.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Remembers whether any of some matchers matches, per servlet context and request URI,
 * for matchers whose answer depends on nothing else and whose variables nobody reads,
 * such as Spring Boot's {@code EndpointRequest} matchers behind a {@code permitAll()}.
 * Those look up the application context and match several paths on every request a chain
 * sees: on Jetty, a measurable share of a small request's CPU.
 * <p>
 * The URIs remembered are bounded in number and length: past the bound, the matchers are
 * asked as before, so that requests with paths of a caller's choosing cannot grow the
 * memory it holds.
 *
 * @since 0.1.0
 */
public final class PathCachingRequestMatcher implements RequestMatcher {

	static final int MAX_PATHS = 1024;

	static final int MAX_PATH_LENGTH = 256;

	private final RequestMatcher[] matchers;

	private final Map<Key, Boolean> results = new ConcurrentHashMap<>();

	/**
	 * Remember the answers of matchers, taken together as any of them.
	 * @param matchers matchers whose answers depend only on the servlet context and the
	 * request URI
	 */
	public PathCachingRequestMatcher(RequestMatcher... matchers) {
		this.matchers = matchers.clone();
	}

	@Override
	public boolean matches(HttpServletRequest request) {
		String uri = request.getRequestURI();
		// An include's path is the included one's, not the request URI's.
		if (uri == null || uri.length() > MAX_PATH_LENGTH || request.getDispatcherType() == DispatcherType.INCLUDE) {
			return anyMatches(request);
		}
		Key key = new Key(request.getServletContext(), uri);
		Boolean known = this.results.get(key);
		if (known != null) {
			return known;
		}
		boolean match = anyMatches(request);
		if (this.results.size() < MAX_PATHS) {
			this.results.put(key, match);
		}
		return match;
	}

	private boolean anyMatches(HttpServletRequest request) {
		for (RequestMatcher matcher : this.matchers) {
			if (matcher.matches(request)) {
				return true;
			}
		}
		return false;
	}

	int size() {
		return this.results.size();
	}

	private record Key(@Nullable ServletContext context, String uri) {

		@Override
		public boolean equals(@Nullable Object obj) {
			// The same servlet context (the management server has its own), not an
			// equal one.
			return (obj instanceof Key other) && this.context == other.context && this.uri.equals(other.uri);
		}

		@Override
		public int hashCode() {
			return 31 * System.identityHashCode(this.context) + this.uri.hashCode();
		}

	}

}
