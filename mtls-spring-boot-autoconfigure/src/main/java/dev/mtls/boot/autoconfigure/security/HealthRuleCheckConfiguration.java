package dev.mtls.boot.autoconfigure.security;

import dev.mtls.boot.security.AuthorizationRuleSet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@link HealthRuleCheck} of the starter's default security chains, servlet and
 * reactive, which let health through before the rules.
 *
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
public class HealthRuleCheckConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static HealthRuleCheck mtlsHealthRuleCheck(AuthorizationRuleSet rules,
			ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
		return new HealthRuleCheck(rules, endpoints, environment);
	}

}
