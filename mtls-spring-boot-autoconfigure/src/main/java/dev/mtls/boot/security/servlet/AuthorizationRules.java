package dev.mtls.boot.security.servlet;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.security.DefaultAccess;
import dev.mtls.boot.security.DenialLog;
import dev.mtls.boot.security.IdentityAuthorizationDecision;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Ordered authorization rules by path, method and identity ({@code mtls.authorization}):
 * the first rule whose paths and methods match a request decides; a request no rule
 * matches gets the default. An {@link AuthorizationManager} for Spring Security's
 * {@code authorizeHttpRequests}.
 *
 * @since 0.1.0
 */
public final class AuthorizationRules implements AuthorizationManager<RequestAuthorizationContext> {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final List<Rule> rules;

	private final DefaultAccess defaultAccess;

	private final DenialLog denialLog = new DenialLog();

	private final MtlsListener listener;

	public AuthorizationRules(List<Rule> rules, DefaultAccess defaultAccess) {
		this(rules, defaultAccess, MtlsListener.NONE);
	}

	/**
	 * Create rules that tell a listener about every decision.
	 * @param rules the rules, in order
	 * @param defaultAccess what requests no rule matches get
	 * @param listener told of every decision
	 */
	public AuthorizationRules(List<Rule> rules, DefaultAccess defaultAccess, MtlsListener listener) {
		this.rules = List.copyOf(rules);
		this.defaultAccess = defaultAccess;
		this.listener = listener;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		HttpServletRequest request = context.getRequest();
		PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
				? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
				: RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
		IdentityAuthorizationDecision decision = decide(request.getMethod(), path, authentication.get());
		this.listener.authorizationDecided(decision.getRule(), decision.isGranted());
		if (!decision.isGranted()) {
			if (authentication.get() instanceof CertificateAuthentication certificate) {
				this.denialLog.denied(certificate.getPrincipal(), request.getMethod(), path.value(), decision);
			}
			else if (request.getAttribute(CERTIFICATES_ATTRIBUTE) == null) {
				// A request whose certificate failed authentication was counted already.
				this.listener.authenticationFailed(AuthenticationFailure.NO_CERTIFICATE);
			}
		}
		return decision;
	}

	/**
	 * Decide a request.
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @param authentication the current authentication, or {@code null}
	 * @return the decision, naming the rule that made it
	 */
	public IdentityAuthorizationDecision decide(String method, PathContainer path,
			@Nullable Authentication authentication) {
		HttpMethod httpMethod = HttpMethod.valueOf(method);
		for (Rule rule : this.rules) {
			if (rule.matches(httpMethod, path)) {
				return rule.decide(authentication);
			}
		}
		return switch (this.defaultAccess) {
			case PERMIT -> new IdentityAuthorizationDecision(true, "mtls.authorization.default", "permit");
			case DENY ->
				new IdentityAuthorizationDecision(false, "mtls.authorization.default", "deny: no rule matches");
			case AUTHENTICATED -> (authentication instanceof CertificateAuthentication)
					? new IdentityAuthorizationDecision(true, "mtls.authorization.default", "authenticated")
					: new IdentityAuthorizationDecision(false, "mtls.authorization.default", "no client certificate");
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
			if (!this.methods.isEmpty() && !this.methods.contains(method)) {
				return false;
			}
			for (PathPattern pattern : this.paths) {
				if (pattern.matches(path)) {
					return true;
				}
			}
			return false;
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
