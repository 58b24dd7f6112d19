package dev.mtls.boot.autoconfigure.security.reactive;

import reactor.core.publisher.Flux;

import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;

/**
 * Exchanges with the health endpoint and its additional paths (probes), in a class of its
 * own so that the actuator stays optional.
 */
final class HealthExchanges {

	private HealthExchanges() {
	}

	/**
	 * Return a matcher of the health endpoint and its additional paths on either server.
	 * It tries them in turn, as Spring Security's {@code OrServerWebExchangeMatcher}
	 * does, without that matcher's debug message per matcher and request: the
	 * commons-logging bridge to SLF4J formats such a message, and each matcher's
	 * description, even with debug off, which cost 6% of a WebFlux request's CPU.
	 * @return the matcher
	 */
	static ServerWebExchangeMatcher matcher() {
		ServerWebExchangeMatcher[] matchers = { EndpointRequest.to(HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.MANAGEMENT, HealthEndpoint.class) };
		return (exchange) -> Flux.fromArray(matchers)
			.concatMap((matcher) -> matcher.matches(exchange))
			.filter(MatchResult::isMatch)
			.next()
			.switchIfEmpty(MatchResult.notMatch());
	}

}
