package dev.mtls.boot.autoconfigure.security;

import java.util.List;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.AuthorizationRuleSet.Rule;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.env.Environment;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Stops start-up when an {@code mtls.authorization} rule names a path inside the health
 * endpoint: the starter's default security chains let health through before the rules are
 * consulted (as Spring Boot does, so that probes need no credentials), so such a rule
 * would never apply and health would stay open to whoever reaches it. Checked once every
 * bean exists, so that finding the endpoint's path creates no endpoint early.
 *
 * @since 0.1.0
 */
public final class HealthRuleCheck implements SmartInitializingSingleton {

	private static final EndpointId HEALTH = EndpointId.of("health");

	private final AuthorizationRuleSet rules;

	private final ObjectProvider<PathMappedEndpoints> endpoints;

	private final Environment environment;

	public HealthRuleCheck(AuthorizationRuleSet rules, ObjectProvider<PathMappedEndpoints> endpoints,
			Environment environment) {
		this.rules = rules;
		this.endpoints = endpoints;
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		PathMappedEndpoints endpoints = this.endpoints.getIfUnique();
		if (endpoints == null) {
			return;
		}
		ManagementPortType port = ManagementPortType.get(this.environment);
		// The endpoint itself is served unless the management port is disabled; null
		// where health is not exposed over HTTP.
		String health = (port != ManagementPortType.DISABLED) ? endpoints.getPath(HEALTH) : null;
		if (health != null) {
			check(this.rules.getRules(), health);
		}
		// Probe groups' additional paths (such as server:/livez), let through too: the
		// main server's are served whatever the management port, the management
		// server's only where there is one.
		for (String additionalPath : endpoints.getAdditionalPaths(WebServerNamespace.SERVER, HEALTH)) {
			check(this.rules.getRules(), additionalPath);
		}
		if (port == ManagementPortType.DIFFERENT) {
			for (String additionalPath : endpoints.getAdditionalPaths(WebServerNamespace.MANAGEMENT, HEALTH)) {
				check(this.rules.getRules(), additionalPath);
			}
		}
	}

	private static void check(List<Rule> rules, String healthPath) {
		for (Rule rule : rules) {
			if (rule.permitAll()) {
				// Health is let through anyway: the rule changes nothing there.
				continue;
			}
			List<PathPattern> paths = rule.paths();
			for (int j = 0; j < paths.size(); j++) {
				String pattern = paths.get(j).getPatternString();
				if (pattern.equals(healthPath) || pattern.startsWith(healthPath + "/")) {
					throw new MtlsConfigurationException(rule.name() + ".paths[%d]".formatted(j), pattern,
							("the health endpoint's path %s is let through before mtls.authorization is consulted, as "
									+ "Spring Boot does for probes, so this rule would never apply there")
								.formatted(healthPath),
							"Remove the pattern. To put health behind a certificate, serve it on "
									+ "management.server.port with mtls.management.client-auth=need, or define your "
									+ "own security chain with the starter's configurer (README: \"Your own SecurityFilterChain\", "
									+ "or \"WebFlux\").");
				}
			}
		}
	}

}
