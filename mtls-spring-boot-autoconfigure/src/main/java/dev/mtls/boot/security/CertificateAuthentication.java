package dev.mtls.boot.security;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mtls.boot.identity.CertificateIdentity;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authentication by verified client certificate. The principal is the
 * {@link CertificateIdentity}, the credentials the leaf certificate.
 *
 * @since 0.1.0
 */
public final class CertificateAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final CertificateIdentity identity;

	private final Set<String> authorityNames;

	public CertificateAuthentication(CertificateIdentity identity, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.identity = identity;
		this.authorityNames = getAuthorities().stream()
			.map(GrantedAuthority::getAuthority)
			.collect(Collectors.toUnmodifiableSet());
		setAuthenticated(true);
	}

	private CertificateAuthentication(CertificateAuthentication resolved, Object details) {
		super(resolved.getAuthorities());
		this.identity = resolved.identity;
		this.authorityNames = resolved.authorityNames;
		setDetails(details);
		setAuthenticated(true);
	}

	/**
	 * Return a copy of this authentication carrying request details, so that the cached
	 * authentication of a certificate is never shared between requests.
	 * @param details the request details
	 * @return the copy
	 */
	CertificateAuthentication withDetails(Object details) {
		return new CertificateAuthentication(this, details);
	}

	@Override
	public CertificateIdentity getPrincipal() {
		return this.identity;
	}

	/**
	 * Return the principal name, the attribute chosen by {@code mtls.principal.name}.
	 * @return the name
	 */
	@Override
	public String getName() {
		return this.identity.getName();
	}

	@Override
	public @Nullable X509Certificate getCredentials() {
		return this.identity.getCertificate();
	}

	/**
	 * Return the names of the granted authorities, for {@code authority:} patterns.
	 * @return the authority names
	 */
	public Set<String> getAuthorityNames() {
		return this.authorityNames;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		// Spring Security 7.0 (Boot 4.0) declares the parameter non-null, 7.1 nullable.
		return obj != null && super.equals(obj);
	}

	@Override
	public int hashCode() {
		return super.hashCode();
	}

}
