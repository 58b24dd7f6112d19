package dev.mtls.boot.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mtls.boot.identity.IdentityPattern;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Identity checks for SpEL, registered as the bean {@code mtls}.
 *
 * <pre class="code">
 * &#64;PreAuthorize("&#64;mtls.allows('spiffe://acme.org/ns/ops/**')")
 * </pre>
 *
 * @since 0.1.0
 */
public class MtlsSecurityExpressions {

	private static final int MAX_CACHED_PATTERNS = 1_000;

	private final Map<String, IdentityPattern> patterns = new ConcurrentHashMap<>();

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	public MtlsSecurityExpressions() {
		this(SecurityContextHolder.getContextHolderStrategy());
	}

	public MtlsSecurityExpressions(SecurityContextHolderStrategy securityContextHolderStrategy) {
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Whether the current caller's certificate matches the identity pattern.
	 * @param pattern an identity pattern, such as {@code cn:orders-*} or
	 * {@code authority:ROLE_ADMIN}
	 * @return whether it matches; {@code false} without a certificate
	 * @throws dev.mtls.boot.identity.InvalidIdentityPatternException if the pattern does
	 * not parse
	 */
	public boolean allows(String pattern) {
		return allows(this.securityContextHolderStrategy.getContext().getAuthentication(), pattern);
	}

	/**
	 * Whether an authentication's certificate matches the identity pattern.
	 * @param authentication the authentication, or {@code null}
	 * @param pattern an identity pattern, such as {@code cn:orders-*} or
	 * {@code authority:ROLE_ADMIN}
	 * @return whether it matches; {@code false} without a certificate
	 * @throws dev.mtls.boot.identity.InvalidIdentityPatternException if the pattern does
	 * not parse
	 */
	public boolean allows(@Nullable Authentication authentication, String pattern) {
		if (!(authentication instanceof CertificateAuthentication certificate)) {
			return false;
		}
		IdentityPattern parsed = this.patterns.get(pattern);
		if (parsed == null) {
			parsed = IdentityPattern.parse(pattern);
			if (this.patterns.size() < MAX_CACHED_PATTERNS) {
				this.patterns.put(pattern, parsed);
			}
		}
		return parsed.matches(certificate.getPrincipal(), certificate.getAuthorityNames());
	}

}
