package dev.mtls.boot.security.reactive;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PathCachingExchangeMatcher}.
 */
class PathCachingExchangeMatcherTests {

	private final AtomicInteger asked = new AtomicInteger();

	private final ServerWebExchangeMatcher health = (exchange) -> {
		this.asked.incrementAndGet();
		return exchange.getRequest().getPath().value().startsWith("/actuator/health") ? MatchResult.match()
				: MatchResult.notMatch();
	};

	private final PathCachingExchangeMatcher matcher = new PathCachingExchangeMatcher(this.health);

	private final ApplicationContext context = new StaticApplicationContext();

	@Test
	void matchesWhenSamePathAgainThenAnswerRemembered() {
		assertThat(matches("/actuator/health", this.context)).isTrue();
		assertThat(matches("/actuator/health", this.context)).isTrue();
		assertThat(matches("/hello", this.context)).isFalse();
		assertThat(matches("/hello", this.context)).isFalse();

		assertThat(this.asked).hasValue(2);
	}

	@Test
	void matchesWhenOtherContextThenAskedAgain() {
		// The management server's context answers for its own port.
		matches("/actuator/health", this.context);
		matches("/actuator/health", new StaticApplicationContext());
		matches("/actuator/health", null);

		assertThat(this.asked).hasValue(3);
	}

	@Test
	void matchesWhenPathLongThenNotRemembered() {
		String path = "/actuator/health/" + "x".repeat(PathCachingExchangeMatcher.MAX_PATH_LENGTH);

		assertThat(matches(path, this.context)).isTrue();
		assertThat(matches(path, this.context)).isTrue();

		assertThat(this.asked).hasValue(2);
		assertThat(this.matcher.size()).isZero();
	}

	@Test
	void matchesWhenManyPathsThenRemembersAtMostTheBound() {
		for (int i = 0; i < PathCachingExchangeMatcher.MAX_PATHS + 100; i++) {
			matches("/p" + i, this.context);
		}

		assertThat(this.matcher.size()).isEqualTo(PathCachingExchangeMatcher.MAX_PATHS);
		assertThat(matches("/actuator/health", this.context)).isTrue();
	}

	@Test
	void rememberedWhenAskedBeforeThenAnswerWithoutAskingMatcher() {
		assertThat(this.matcher.remembered(exchange("/actuator/health", this.context))).isNull();
		matches("/actuator/health", this.context);
		matches("/hello", this.context);

		assertThat(this.matcher.remembered(exchange("/actuator/health", this.context))).isTrue();
		assertThat(this.matcher.remembered(exchange("/hello", this.context))).isFalse();
		assertThat(this.matcher.remembered(exchange("/actuator/health", new StaticApplicationContext()))).isNull();
		assertThat(this.asked).hasValue(2);
	}

	private boolean matches(String path, @Nullable ApplicationContext context) {
		MatchResult result = this.matcher.matches(exchange(path, context)).block();
		return result != null && result.isMatch();
	}

	private static ServerWebExchange exchange(String path, @Nullable ApplicationContext context) {
		MockServerWebExchange exchange = MockServerWebExchange.builder(MockServerHttpRequest.get(path)).build();
		return (context != null) ? new ContextExchange(exchange, context) : exchange;
	}

	private static final class ContextExchange extends ServerWebExchangeDecorator {

		private final ApplicationContext context;

		ContextExchange(ServerWebExchange delegate, ApplicationContext context) {
			super(delegate);
			this.context = context;
		}

		@Override
		public ApplicationContext getApplicationContext() {
			return this.context;
		}

	}

}
