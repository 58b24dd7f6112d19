package dev.mtls.boot.security;

import java.security.cert.X509Certificate;

import dev.mtls.boot.identity.AttestedCertificate;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Authenticates the pre-authenticated certificate chain of a request, or the certificate
 * a trusted proxy attested, with a {@link CertificateAuthenticator}.
 *
 * @since 0.1.0
 */
public class CertificateAuthenticationProvider implements AuthenticationProvider {

	private final CertificateAuthenticator authenticator;

	public CertificateAuthenticationProvider(CertificateAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (authentication.getCredentials() instanceof AttestedCertificate attested) {
			return this.authenticator.authenticate(attested, authentication.getDetails());
		}
		if (!(authentication.getCredentials() instanceof X509Certificate[] chain) || chain.length == 0) {
			return null;
		}
		if (authentication.getPrincipal() instanceof PresentedCertificate presented && presented.forwarded()) {
			return this.authenticator.authenticateForwarded(chain, authentication.getDetails());
		}
		return this.authenticator.authenticate(chain, authentication.getDetails());
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return PreAuthenticatedAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
