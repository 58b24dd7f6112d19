package dev.mtls.boot.security.servlet;

import java.util.function.Supplier;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.IdentityAuthorizationDecision;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The {@code mtls.authorization} rules ({@link AuthorizationRuleSet}) as an
 * {@link AuthorizationManager} for Spring Security's {@code authorizeHttpRequests}.
 *
 * @since 0.1.0
 */
public final class AuthorizationRules implements AuthorizationManager<RequestAuthorizationContext> {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final AuthorizationRuleSet ruleSet;

	/**
	 * Create the manager of a rule set.
	 * @param ruleSet the rules
	 */
	public AuthorizationRules(AuthorizationRuleSet ruleSet) {
		this.ruleSet = ruleSet;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		HttpServletRequest request = context.getRequest();
		PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
				? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
				: RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
		return this.ruleSet.authorize(HttpMethod.valueOf(request.getMethod()), path, current(authentication),
				request.getAttribute(CERTIFICATES_ATTRIBUTE) != null
						|| request.getAttribute(AttestedCertificate.ATTRIBUTE) != null,
				request.getAttribute(AuthorizationRuleSet.PROXY_ATTRIBUTE));
	}

	// Spring Security's authorization filter supplies an authentication that throws
	// when there is none (a chain without anonymous authentication): no certificate, as
	// on WebFlux, so that permit-all rules still let the request through.
	private static @Nullable Authentication current(Supplier<? extends @Nullable Authentication> authentication) {
		try {
			return authentication.get();
		}
		catch (AuthenticationCredentialsNotFoundException ex) {
			return null;
		}
	}

	/**
	 * Decide a request, without telling anyone.
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @param authentication the current authentication, or {@code null}
	 * @return the decision, naming the rule that made it
	 */
	public IdentityAuthorizationDecision decide(String method, PathContainer path,
			@Nullable Authentication authentication) {
		return this.ruleSet.decide(HttpMethod.valueOf(method), path, authentication);
	}

	/**
	 * Return the rules this manager applies.
	 * @return the rule set
	 */
	public AuthorizationRuleSet getRuleSet() {
		return this.ruleSet;
	}

}
