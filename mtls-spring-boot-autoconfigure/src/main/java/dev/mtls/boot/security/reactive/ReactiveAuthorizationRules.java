package dev.mtls.boot.security.reactive;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.security.IdentityAuthorizationDecision;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@code mtls.authorization} rules ({@link AuthorizationRuleSet}) as a
 * {@link ReactiveAuthorizationManager} for Spring Security's {@code authorizeExchange}:
 * first match, 401 without a certificate, 403 when the certificate is not allowed,
 * permit-all, with the same denial log, listener calls and denial events as on a servlet
 * stack.
 *
 * <pre class="code">
 * http.authorizeExchange((exchanges) -&gt; exchanges.anyExchange().access(rules));
 * </pre>
 *
 * @since 0.1.0
 */
public final class ReactiveAuthorizationRules implements ReactiveAuthorizationManager<AuthorizationContext> {

	// What a servlet chain's anonymous filter names a caller without authentication, so
	// that a denial event (and Spring Boot's audit event made of it) names the caller the
	// same way on both stacks.
	private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("mtls", "anonymousUser",
			AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

	private final AuthorizationRuleSet ruleSet;

	private @Nullable AuthorizationEventPublisher eventPublisher;

	/**
	 * Create the manager of a rule set.
	 * @param ruleSet the rules
	 */
	public ReactiveAuthorizationRules(AuthorizationRuleSet ruleSet) {
		this.ruleSet = ruleSet;
	}

	/**
	 * Publish authorization events (Spring Security's
	 * {@code SpringAuthorizationEventPublisher} publishes denials), as a servlet chain's
	 * {@code AuthorizationFilter} does.
	 * @param eventPublisher the publisher
	 */
	public void setAuthorizationEventPublisher(AuthorizationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		return authentication.singleOptional()
			.map((current) -> authorizeNow(context.getExchange(), current.orElse(null)));
	}

	/**
	 * Decide an exchange on the calling thread, with the same denial log, listener calls
	 * and events as {@link #authorize(Mono, AuthorizationContext)}.
	 * @param exchange the exchange
	 * @param authentication its authentication, or {@code null}
	 * @return the decision
	 */
	IdentityAuthorizationDecision authorizeNow(ServerWebExchange exchange, @Nullable Authentication authentication) {
		ServerHttpRequest request = exchange.getRequest();
		IdentityAuthorizationDecision decision = this.ruleSet.authorize(request.getMethod(),
				request.getPath().pathWithinApplication(), authentication,
				isCertificatePresented(exchange, authentication),
				exchange.getAttribute(AuthorizationRuleSet.PROXY_ATTRIBUTE));
		if (this.eventPublisher != null) {
			this.eventPublisher.publishAuthorizationEvent(() -> (authentication != null) ? authentication : ANONYMOUS,
					request, decision);
		}
		return decision;
	}

	// A certificate authentication comes from a presented chain or an attestation: the
	// chain is not read again.
	private static boolean isCertificatePresented(ServerWebExchange exchange, @Nullable Authentication authentication) {
		return authentication instanceof CertificateAuthentication
				|| CertificateAuthenticationWebFilter.chain(exchange.getRequest()) != null
				|| exchange.getAttribute(AttestedCertificate.ATTRIBUTE) != null;
	}

	/**
	 * Return the rules this manager applies.
	 * @return the rule set
	 */
	public AuthorizationRuleSet getRuleSet() {
		return this.ruleSet;
	}

}
