package dev.mtls.boot.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.security.DefaultAccess;

import org.springframework.boot.convert.Delimiter;

/**
 * Authorization of requests by the caller's certificate identity.
 *
 * @since 0.1.0
 */
public class MtlsAuthorizationProperties {

	private DefaultAccess defaultAccess = DefaultAccess.AUTHENTICATED;

	/**
	 * Whether the default security filter chain checks CSRF tokens (for browser clients
	 * holding certificates).
	 */
	private boolean csrf;

	/**
	 * Ordered rules; the first whose paths and methods match a request decides.
	 */
	private List<Rule> rules = new ArrayList<>();

	/**
	 * Return what requests that no rule matches get: authenticated, deny or permit.
	 * @return the default access
	 */
	public DefaultAccess getDefault() {
		return this.defaultAccess;
	}

	public void setDefault(DefaultAccess defaultAccess) {
		this.defaultAccess = defaultAccess;
	}

	public boolean isCsrf() {
		return this.csrf;
	}

	public void setCsrf(boolean csrf) {
		this.csrf = csrf;
	}

	public List<Rule> getRules() {
		return this.rules;
	}

	public void setRules(List<Rule> rules) {
		this.rules = rules;
	}

	/**
	 * One authorization rule.
	 */
	public static class Rule {

		/**
		 * Path patterns (Spring PathPattern syntax, within the application), any of which
		 * matches.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * HTTP methods, any of which matches. All methods when empty.
		 */
		private List<String> methods = new ArrayList<>();

		/**
		 * Identity patterns, any of which permits. A scalar value is one pattern, commas
		 * included.
		 */
		@Delimiter(Delimiter.NONE)
		private List<String> allow = new ArrayList<>();

		/**
		 * Whether the rule permits every request, with or without a certificate.
		 */
		private boolean permitAll;

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		public List<String> getAllow() {
			return this.allow;
		}

		public void setAllow(List<String> allow) {
			this.allow = allow;
		}

		public boolean isPermitAll() {
			return this.permitAll;
		}

		public void setPermitAll(boolean permitAll) {
			this.permitAll = permitAll;
		}

	}

}
