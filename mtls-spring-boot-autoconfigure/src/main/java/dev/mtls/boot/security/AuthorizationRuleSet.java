package dev.mtls.boot.security;

import java.util.List;
import java.util.Set;

import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.MtlsListener;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.Authentication;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The ordered authorization rules by path, method and identity
 * ({@code mtls.authorization}), whatever the web stack: the first rule whose paths and
 * methods match a request decides; a request no rule matches gets the default. Each
 * stack's adapter ({@code security.servlet.AuthorizationRules},
 * {@code security.reactive.ReactiveAuthorizationRules}) hands its requests to
 * {@link #authorize}, so decisions, denial logs and listener calls are the same on every
 * server.
 *
 * @since 0.1.0
 */
public final class AuthorizationRuleSet {

	private static final String DEFAULT_RULE = "mtls.authorization.default";

	/**
	 * The name of the request or exchange attribute holding the trusted proxy a request's
	 * certificate was forwarded by ({@code dev.mtls.boot.forwarded.ForwardingProxy}).
	 */
	public static final String PROXY_ATTRIBUTE = "dev.mtls.boot.forwarded.ForwardingProxy";

	private final List<Rule> rules;

	private final DefaultAccess defaultAccess;

	private final DenialLog denialLog = new DenialLog();

	private final MtlsListener listener;

	/**
	 * Create rules that tell nobody of their decisions.
	 * @param rules the rules, in order
	 * @param defaultAccess what requests no rule matches get
	 */
	public AuthorizationRuleSet(List<Rule> rules, DefaultAccess defaultAccess) {
		this(rules, defaultAccess, MtlsListener.NONE);
	}

	/**
	 * Create rules that tell a listener about every decision.
	 * @param rules the rules, in order
	 * @param defaultAccess what requests no rule matches get
	 * @param listener told of every decision
	 */
	public AuthorizationRuleSet(List<Rule> rules, DefaultAccess defaultAccess, MtlsListener listener) {
		this.rules = List.copyOf(rules);
		this.defaultAccess = defaultAccess;
		this.listener = listener;
	}

	/**
	 * Decide a request, tell the listener, and log a denial of a certificate once per
	 * certificate and rule. A request refused without any certificate counts as an
	 * authentication failure ({@link AuthenticationFailure#NO_CERTIFICATE}); one whose
	 * certificate failed authentication was counted by the authenticator already.
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @param authentication the current authentication, or {@code null}
	 * @param certificatePresented whether the request came with a client certificate
	 * @return the decision, naming the rule that made it
	 */
	public IdentityAuthorizationDecision authorize(HttpMethod method, PathContainer path,
			@Nullable Authentication authentication, boolean certificatePresented) {
		return authorize(method, path, authentication, certificatePresented, null);
	}

	/**
	 * Decide a request that may have come through a trusted proxy, tell the listener, and
	 * log a denial of a certificate once per certificate and rule, naming the proxy.
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @param authentication the current authentication, or {@code null}
	 * @param certificatePresented whether the request came with a client certificate
	 * @param proxy the trusted proxy that forwarded the request's certificate (the
	 * request attribute {@link #PROXY_ATTRIBUTE}), or {@code null} for a direct request
	 * @return the decision, naming the rule that made it
	 */
	public IdentityAuthorizationDecision authorize(HttpMethod method, PathContainer path,
			@Nullable Authentication authentication, boolean certificatePresented, @Nullable Object proxy) {
		IdentityAuthorizationDecision decision = decide(method, path, authentication);
		this.listener.authorizationDecided(decision.getRule(), decision.isGranted());
		if (!decision.isGranted()) {
			if (authentication instanceof CertificateAuthentication certificate) {
				this.denialLog.denied(certificate.getPrincipal(), method.name(), path.value(), decision, proxy);
			}
			else if (!certificatePresented) {
				this.listener.authenticationFailed(AuthenticationFailure.NO_CERTIFICATE);
			}
		}
		return decision;
	}

	/**
	 * Decide a request, without telling anyone.
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @param authentication the current authentication, or {@code null}
	 * @return the decision, naming the rule that made it
	 */
	public IdentityAuthorizationDecision decide(HttpMethod method, PathContainer path,
			@Nullable Authentication authentication) {
		for (Rule rule : this.rules) {
			if (rule.matches(method, path)) {
				return rule.decide(authentication);
			}
		}
		return switch (this.defaultAccess) {
			case PERMIT -> new IdentityAuthorizationDecision(true, DEFAULT_RULE, "permit");
			case DENY -> new IdentityAuthorizationDecision(false, DEFAULT_RULE, "deny: no rule matches");
			case AUTHENTICATED -> (authentication instanceof CertificateAuthentication)
					? new IdentityAuthorizationDecision(true, DEFAULT_RULE, "authenticated")
					: new IdentityAuthorizationDecision(false, DEFAULT_RULE, "no client certificate");
		};
	}

	public List<Rule> getRules() {
		return this.rules;
	}

	public DefaultAccess getDefaultAccess() {
		return this.defaultAccess;
	}

	/**
	 * One rule: paths, optional methods, and either identity patterns to allow or
	 * permit-all.
	 *
	 * @param name how logs and decisions name the rule, e.g.
	 * {@code mtls.authorization.rules[0]}
	 * @param paths the path patterns, any of which matches
	 * @param methods the methods, any of which matches; empty for all
	 * @param allow the identity patterns, any of which permits
	 * @param permitAll whether the rule permits everyone, certificate or not
	 */
	public record Rule(String name, List<PathPattern> paths, Set<HttpMethod> methods, List<IdentityPattern> allow,
			boolean permitAll) {

		public Rule {
			paths = List.copyOf(paths);
			methods = Set.copyOf(methods);
			allow = List.copyOf(allow);
		}

		boolean matches(HttpMethod method, PathContainer path) {
			if (!this.methods.isEmpty() && !this.methods.contains(method) && !isHeadOfGet(method)) {
				return false;
			}
			for (PathPattern pattern : this.paths) {
				if (pattern.matches(path)) {
					return true;
				}
			}
			return false;
		}

		// Spring MVC and WebFlux answer HEAD with the GET handler: a rule for GET decides
		// HEAD too, or HEAD would reach that handler under a later, looser rule.
		private boolean isHeadOfGet(HttpMethod method) {
			return HttpMethod.HEAD.equals(method) && this.methods.contains(HttpMethod.GET);
		}

		IdentityAuthorizationDecision decide(@Nullable Authentication authentication) {
			if (this.permitAll) {
				return new IdentityAuthorizationDecision(true, this.name, "permit-all");
			}
			if (!(authentication instanceof CertificateAuthentication certificate)) {
				return new IdentityAuthorizationDecision(false, this.name, "no client certificate");
			}
			for (IdentityPattern pattern : this.allow) {
				if (pattern.matches(certificate.getPrincipal(), certificate.getAuthorityNames())) {
					return new IdentityAuthorizationDecision(true, this.name, "allowed by '" + pattern + "'");
				}
			}
			return new IdentityAuthorizationDecision(false, this.name, "no allow pattern matches " + this.allow);
		}

	}

}
