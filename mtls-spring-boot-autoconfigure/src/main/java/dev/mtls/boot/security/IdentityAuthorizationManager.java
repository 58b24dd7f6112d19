package dev.mtls.boot.security;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import dev.mtls.boot.identity.IdentityPattern;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;

/**
 * An {@link AuthorizationManager} that permits callers whose certificate matches any of
 * some identity patterns, for applications that write their own
 * {@code SecurityFilterChain}.
 *
 * <pre class="code">
 * http.authorizeHttpRequests((requests) -&gt; requests
 *     .requestMatchers("/ops/**").access(IdentityAuthorizationManager.allow("spiffe://acme.org/ns/ops/**"))
 *     .anyRequest().authenticated());
 * </pre>
 *
 * @param <T> the type of object authorized
 * @since 0.1.0
 */
public final class IdentityAuthorizationManager<T> implements AuthorizationManager<T> {

	private final List<IdentityPattern> patterns;

	private final String name;

	private IdentityAuthorizationManager(List<IdentityPattern> patterns) {
		this.patterns = patterns;
		this.name = "allow" + patterns;
	}

	/**
	 * Create a manager permitting callers that match any of the patterns.
	 * @param <T> the type of object authorized
	 * @param patterns identity patterns
	 * @return the manager
	 * @throws dev.mtls.boot.identity.InvalidIdentityPatternException if a pattern does
	 * not parse
	 */
	public static <T> IdentityAuthorizationManager<T> allow(String... patterns) {
		return new IdentityAuthorizationManager<>(Arrays.stream(patterns).map(IdentityPattern::parse).toList());
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication, T object) {
		if (!(authentication.get() instanceof CertificateAuthentication certificate)) {
			return new IdentityAuthorizationDecision(false, this.name, "no client certificate");
		}
		for (IdentityPattern pattern : this.patterns) {
			if (pattern.matches(certificate.getPrincipal(), certificate.getAuthorityNames())) {
				return new IdentityAuthorizationDecision(true, this.name, "allowed by '" + pattern + "'");
			}
		}
		return new IdentityAuthorizationDecision(false, this.name, "no allow pattern matches " + this.patterns);
	}

}
