package dev.mtls.boot.security;

import org.springframework.security.authorization.AuthorizationDecision;

/**
 * An authorization decision by identity: which rule decided, and why.
 *
 * @since 0.1.0
 */
public class IdentityAuthorizationDecision extends AuthorizationDecision {

	private static final long serialVersionUID = 1L;

	private final String rule;

	private final String reason;

	public IdentityAuthorizationDecision(boolean granted, String rule, String reason) {
		super(granted);
		this.rule = rule;
		this.reason = reason;
	}

	/**
	 * Return the rule that decided, e.g. {@code mtls.authorization.rules[2]}.
	 * @return the rule
	 */
	public String getRule() {
		return this.rule;
	}

	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "IdentityAuthorizationDecision[granted=" + isGranted() + ", rule=" + this.rule + ", reason="
				+ this.reason + "]";
	}

}
