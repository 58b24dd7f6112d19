package dev.mtls.boot.security;

import java.util.Collection;

import dev.mtls.boot.identity.CertificateIdentity;

import org.springframework.security.core.GrantedAuthority;

/**
 * Grants authorities to a certificate identity. The starter's default grants those of
 * {@code mtls.principal.authorities}; declare a bean of this type to replace it, or to
 * extend it by delegating to an {@link IdentityAuthoritiesMapper}. Called once per
 * distinct certificate: the result is cached with the identity.
 *
 * <pre class="code">
 * &#64;Bean
 * CertificateAuthoritiesMapper directoryAuthorities(Directory directory) {
 *     return (identity) -&gt; directory.rolesOf(identity.getSpiffeId());
 * }
 * </pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CertificateAuthoritiesMapper {

	/**
	 * Return the authorities of the identity.
	 * @param identity the verified certificate identity
	 * @return its authorities, possibly empty
	 */
	Collection<? extends GrantedAuthority> getAuthorities(CertificateIdentity identity);

}
