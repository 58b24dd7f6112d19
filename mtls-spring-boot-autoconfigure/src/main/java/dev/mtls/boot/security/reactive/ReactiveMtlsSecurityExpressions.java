package dev.mtls.boot.security.reactive;

import dev.mtls.boot.security.MtlsSecurityExpressions;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;

/**
 * Identity checks for SpEL in reactive method security
 * ({@code @EnableReactiveMethodSecurity}), registered as the bean {@code mtls} in WebFlux
 * applications: the caller comes from the Reactor security context, so the answer is a
 * {@code Mono}, which Spring Security's reactive expressions accept.
 *
 * <pre class="code">
 * &#64;PreAuthorize("&#64;mtls.allows('spiffe://acme.org/ns/ops/**')")
 * Mono&lt;String&gt; rotate() { ... }
 * </pre>
 *
 * @since 0.1.0
 */
public class ReactiveMtlsSecurityExpressions {

	private final MtlsSecurityExpressions expressions = new MtlsSecurityExpressions();

	/**
	 * Whether the current caller's certificate matches the identity pattern.
	 * @param pattern an identity pattern, such as {@code cn:orders-*} or
	 * {@code authority:ROLE_ADMIN}
	 * @return whether it matches; {@code false} without a certificate
	 */
	public Mono<Boolean> allows(String pattern) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.map((authentication) -> this.expressions.allows(authentication, pattern))
			.defaultIfEmpty(false);
	}

}
