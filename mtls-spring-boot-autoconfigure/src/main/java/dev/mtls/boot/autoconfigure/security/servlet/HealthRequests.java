package dev.mtls.boot.autoconfigure.security.servlet;

import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Requests to the health endpoint and its additional paths (probes), in a class of its
 * own so that the actuator stays optional.
 */
final class HealthRequests {

	private HealthRequests() {
	}

	static RequestMatcher[] matchers() {
		return new RequestMatcher[] { EndpointRequest.to(HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.MANAGEMENT, HealthEndpoint.class) };
	}

}
