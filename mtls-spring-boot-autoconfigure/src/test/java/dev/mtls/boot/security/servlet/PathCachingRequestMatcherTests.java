package dev.mtls.boot.security.servlet;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PathCachingRequestMatcher}.
 */
class PathCachingRequestMatcherTests {

	private final AtomicInteger asked = new AtomicInteger();

	private final RequestMatcher health = (request) -> {
		this.asked.incrementAndGet();
		return request.getRequestURI().startsWith("/actuator/health");
	};

	private final RequestMatcher probes = (request) -> {
		this.asked.incrementAndGet();
		return request.getRequestURI().startsWith("/livez");
	};

	private final PathCachingRequestMatcher matcher = new PathCachingRequestMatcher(this.health, this.probes);

	private final ServletContext context = new MockServletContext();

	@Test
	void matchesWhenAnyMatcherMatchesThenMatches() {
		assertThat(matches("/actuator/health", this.context)).isTrue();
		assertThat(matches("/livez", this.context)).isTrue();
		assertThat(matches("/hello", this.context)).isFalse();
	}

	@Test
	void matchesWhenSameUriAgainThenAnswerRemembered() {
		assertThat(matches("/actuator/health", this.context)).isTrue();
		assertThat(matches("/actuator/health", this.context)).isTrue();
		assertThat(matches("/hello", this.context)).isFalse();
		assertThat(matches("/hello", this.context)).isFalse();

		// health: asked once (matched); hello: both asked once.
		assertThat(this.asked).hasValue(3);
	}

	@Test
	void matchesWhenOtherServletContextThenAskedAgain() {
		// The management server's context answers for its own port.
		matches("/actuator/health", this.context);
		matches("/actuator/health", new MockServletContext());

		assertThat(this.asked).hasValue(2);
	}

	@Test
	void matchesWhenUriLongThenNotRemembered() {
		String uri = "/actuator/health/" + "x".repeat(PathCachingRequestMatcher.MAX_PATH_LENGTH);

		assertThat(matches(uri, this.context)).isTrue();
		assertThat(matches(uri, this.context)).isTrue();

		assertThat(this.asked).hasValue(2);
		assertThat(this.matcher.size()).isZero();
	}

	@Test
	void matchesWhenManyUrisThenRemembersAtMostTheBound() {
		for (int i = 0; i < PathCachingRequestMatcher.MAX_PATHS + 100; i++) {
			matches("/p" + i, this.context);
		}

		assertThat(this.matcher.size()).isEqualTo(PathCachingRequestMatcher.MAX_PATHS);
		assertThat(matches("/actuator/health", this.context)).isTrue();
	}

	private boolean matches(String uri, ServletContext context) {
		MockHttpServletRequest request = new MockHttpServletRequest(context, "GET", uri);
		return this.matcher.matches(request);
	}

}
