package dev.mtls.boot.autoconfigure.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.IdentityAuthoritiesMapper;

import org.springframework.http.HttpMethod;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Parses {@code mtls.principal.authorities} and {@code mtls.authorization} once, at
 * start-up; every value that does not parse fails with its exact property name.
 */
final class MtlsSecurityPropertiesMapper {

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE");

	private MtlsSecurityPropertiesMapper() {
	}

	static IdentityAuthoritiesMapper authoritiesMapper(MtlsPrincipalProperties principal) {
		List<IdentityAuthoritiesMapper.Grant> grants = new ArrayList<>();
		List<MtlsPrincipalProperties.AuthorityGrant> entries = principal.getAuthorities();
		for (int i = 0; i < entries.size(); i++) {
			String property = "mtls.principal.authorities[%d]".formatted(i);
			MtlsPrincipalProperties.AuthorityGrant entry = entries.get(i);
			if (entry.getIdentity() == null) {
				throw new MtlsConfigurationException(property + ".identity", null, "it is not set", "Set " + property
						+ ".identity to the identity pattern whose certificates get " + entry.getGrant() + ".");
			}
			IdentityPattern pattern = pattern(property + ".identity", entry.getIdentity());
			if (pattern.usesAuthorities()) {
				throw new MtlsConfigurationException(property + ".identity", entry.getIdentity(),
						"an 'authority:' pattern cannot decide which authorities to grant",
						"Use a certificate pattern (DN, cn:, spiffe://, dns:, ...) in " + property + ".identity.");
			}
			if (entry.getGrant().isEmpty() || entry.getGrant().stream().anyMatch(String::isBlank)) {
				throw new MtlsConfigurationException(property + ".grant", String.valueOf(entry.getGrant()),
						"no authority to grant (or a blank one)",
						"Set " + property + ".grant to one or more authorities, such as ROLE_ADMIN.");
			}
			List<GrantedAuthority> authorities = entry.getGrant()
				.stream()
				.map(String::strip)
				.map(SimpleGrantedAuthority::new)
				.map(GrantedAuthority.class::cast)
				.toList();
			grants.add(new IdentityAuthoritiesMapper.Grant(pattern, authorities));
		}
		return new IdentityAuthoritiesMapper(grants);
	}

	static AuthorizationRuleSet authorizationRules(MtlsAuthorizationProperties authorization, MtlsListener listener) {
		List<AuthorizationRuleSet.Rule> rules = new ArrayList<>();
		List<MtlsAuthorizationProperties.Rule> entries = authorization.getRules();
		for (int i = 0; i < entries.size(); i++) {
			rules.add(rule("mtls.authorization.rules[%d]".formatted(i), entries.get(i)));
		}
		return new AuthorizationRuleSet(rules, authorization.getDefault(), listener);
	}

	private static AuthorizationRuleSet.Rule rule(String property, MtlsAuthorizationProperties.Rule rule) {
		if (rule.getPaths().isEmpty()) {
			throw new MtlsConfigurationException(property + ".paths", null, "the rule has no paths",
					"Set " + property + ".paths to one or more path patterns, such as /admin/**.");
		}
		if (rule.isPermitAll() == !rule.getAllow().isEmpty()) {
			throw new MtlsConfigurationException(property, null,
					rule.isPermitAll() ? "the rule has both 'allow' and 'permit-all'"
							: "the rule has neither 'allow' nor 'permit-all: true'",
					"Give " + property + " either 'allow' identity patterns or 'permit-all: true'.");
		}
		List<PathPattern> paths = new ArrayList<>();
		for (int j = 0; j < rule.getPaths().size(); j++) {
			String path = rule.getPaths().get(j).strip();
			if (!path.startsWith("/")) {
				// Request paths start with '/': such a pattern would match none, and the
				// rule would never apply.
				throw new MtlsConfigurationException(property + ".paths[%d]".formatted(j), path,
						"a path pattern must start with '/', or it matches no request", "Write /" + path + ".");
			}
			try {
				paths.add(PathPatternParser.defaultInstance.parse(path));
			}
			catch (PatternParseException ex) {
				throw new MtlsConfigurationException(property + ".paths[%d]".formatted(j), path,
						"not a path pattern: " + ex.toDetailedString().replace('\n', ' '),
						"Use Spring PathPattern syntax, such as /orders/** or /orders/{id}.", ex);
			}
		}
		Set<HttpMethod> methods = new LinkedHashSet<>();
		for (int j = 0; j < rule.getMethods().size(); j++) {
			String method = rule.getMethods().get(j).strip().toUpperCase(Locale.ROOT);
			if (!METHODS.contains(method)) {
				throw new MtlsConfigurationException(property + ".methods[%d]".formatted(j), rule.getMethods().get(j),
						"not an HTTP method", "Use one of " + METHODS.stream().sorted().toList() + ".");
			}
			methods.add(HttpMethod.valueOf(method));
		}
		List<IdentityPattern> allow = new ArrayList<>();
		for (int j = 0; j < rule.getAllow().size(); j++) {
			allow.add(pattern(property + ".allow[%d]".formatted(j), rule.getAllow().get(j)));
		}
		return new AuthorizationRuleSet.Rule(property, paths, methods, allow, rule.isPermitAll());
	}

	private static IdentityPattern pattern(String property, String value) {
		return IdentityPatternProperties.parse(property, value);
	}

}
