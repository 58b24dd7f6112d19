package dev.mtls.boot.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.IdentityPattern;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Grants authorities by identity pattern: every grant whose pattern matches adds its
 * authorities ({@code mtls.principal.authorities}).
 *
 * @since 0.1.0
 */
public final class IdentityAuthoritiesMapper implements CertificateAuthoritiesMapper {

	private final List<Grant> grants;

	public IdentityAuthoritiesMapper(List<Grant> grants) {
		this.grants = List.copyOf(grants);
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities(CertificateIdentity identity) {
		Set<GrantedAuthority> authorities = new LinkedHashSet<>();
		for (Grant grant : this.grants) {
			if (grant.identity().matches(identity)) {
				authorities.addAll(grant.authorities());
			}
		}
		return new ArrayList<>(authorities);
	}

	/**
	 * Authorities granted to the identities a pattern matches.
	 *
	 * @param identity the pattern; {@code authority:} patterns are not allowed here
	 * @param authorities the authorities to grant
	 */
	public record Grant(IdentityPattern identity, List<GrantedAuthority> authorities) {

		public Grant {
			if (identity.usesAuthorities()) {
				throw new IllegalArgumentException("authority: patterns cannot grant authorities");
			}
			authorities = List.copyOf(authorities);
		}

		public static Grant of(String identity, String... authorities) {
			return new Grant(IdentityPattern.parse(identity),
					List.of(authorities)
						.stream()
						.map(SimpleGrantedAuthority::new)
						.map(GrantedAuthority.class::cast)
						.toList());
		}

	}

}
