package dev.mtls.boot.autoconfigure.security.reactive;

import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

/**
 * Exchanges with the health endpoint and its additional paths (probes), in a class of its
 * own so that the actuator stays optional.
 */
final class HealthExchanges {

	private HealthExchanges() {
	}

	static ServerWebExchangeMatcher[] matchers() {
		return new ServerWebExchangeMatcher[] { EndpointRequest.to(HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.MANAGEMENT, HealthEndpoint.class) };
	}

}
