package dev.mtls.boot.forwarded;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.security.AuthorizationRuleSet;
import org.jspecify.annotations.Nullable;

/**
 * The trusted proxy that forwarded a request's client certificate (or forwarded none):
 * its own certificate's identity, where it presented one, and its address. Available to
 * the application as the request attribute (servlet) or exchange attribute (WebFlux)
 * {@link #ATTRIBUTE}, for audit and for rules that must also check the hop.
 *
 * @param identity the proxy's certificate identity, or {@code null} if it is trusted by
 * address alone
 * @param address the proxy's address, as the connection shows it
 * @since 0.1.0
 */
public record ForwardingProxy(@Nullable CertificateIdentity identity, @Nullable String address) {

	/**
	 * The name of the request or exchange attribute holding the proxy of a request
	 * forwarded by a trusted proxy.
	 */
	public static final String ATTRIBUTE = AuthorizationRuleSet.PROXY_ATTRIBUTE;

	@Override
	public String toString() {
		String who = (this.identity != null) ? "'" + CertificateText.escape(this.identity.getSubject()) + "'" : "";
		String where = (this.address != null) ? CertificateText.escape(this.address) : "";
		return (who.isEmpty() || where.isEmpty()) ? who + where : who + " at " + where;
	}

}
