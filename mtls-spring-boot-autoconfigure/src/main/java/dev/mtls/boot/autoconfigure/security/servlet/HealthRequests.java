package dev.mtls.boot.autoconfigure.security.servlet;

import dev.mtls.boot.security.servlet.PathCachingRequestMatcher;

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

	/**
	 * Return a matcher of the health endpoint and its additional paths on either server,
	 * remembering its answer per path: asked on every request the chain sees, the three
	 * matchers cost about 1.5% of a small request's CPU on Jetty.
	 * @return the matcher
	 */
	static RequestMatcher matcher() {
		return new PathCachingRequestMatcher(EndpointRequest.to(HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class),
				EndpointRequest.toAdditionalPaths(WebServerNamespace.MANAGEMENT, HealthEndpoint.class));
	}

}
