package dev.mtls.boot.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.identity.PrincipalName;
import org.jspecify.annotations.Nullable;

/**
 * How a client certificate becomes a Spring Security principal.
 *
 * @since 0.1.0
 */
public class MtlsPrincipalProperties {

	/**
	 * Certificate attribute that names the principal: cn, subject, spiffe-id, dns, uri or
	 * email. A certificate without it is not authenticated.
	 */
	private PrincipalName name = PrincipalName.CN;

	/**
	 * Authorities granted by identity pattern: every entry whose 'identity' matches adds
	 * its 'grant'.
	 */
	private List<AuthorityGrant> authorities = new ArrayList<>();

	public PrincipalName getName() {
		return this.name;
	}

	public void setName(PrincipalName name) {
		this.name = name;
	}

	public List<AuthorityGrant> getAuthorities() {
		return this.authorities;
	}

	public void setAuthorities(List<AuthorityGrant> authorities) {
		this.authorities = authorities;
	}

	/**
	 * Authorities granted to the certificates an identity pattern matches.
	 */
	public static class AuthorityGrant {

		/**
		 * Identity pattern, such as 'CN=ops,O=Acme', 'spiffe://acme.org/ns/ops/**' or
		 * 'cn:orders-*'.
		 */
		private @Nullable String identity;

		/**
		 * Authorities to grant, such as ROLE_ADMIN.
		 */
		private List<String> grant = new ArrayList<>();

		public @Nullable String getIdentity() {
			return this.identity;
		}

		public void setIdentity(@Nullable String identity) {
			this.identity = identity;
		}

		public List<String> getGrant() {
			return this.grant;
		}

		public void setGrant(List<String> grant) {
			this.grant = grant;
		}

	}

}
