package dev.mtls.boot.autoconfigure.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.MissingIdentityAttributeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Authenticates a request whose client certificate the TLS handshake already verified:
 * the certificate becomes a {@link CertificateIdentity} principal. Identities are cached
 * per certificate, so a certificate is parsed, and a rejection logged, once.
 *
 * @since 0.1.0
 */
public class CertificateAuthenticationProvider implements AuthenticationProvider {

	private static final Log logger = LogFactory.getLog(CertificateAuthenticationProvider.class);

	private static final int MAX_CACHED_IDENTITIES = 10_000;

	private final Map<X509Certificate, Object> identities = new ConcurrentHashMap<>();

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication.getCredentials() instanceof X509Certificate certificate)) {
			return null;
		}
		Object identity = this.identities.get(certificate);
		if (identity == null) {
			identity = resolve(certificate);
			if (this.identities.size() >= MAX_CACHED_IDENTITIES) {
				this.identities.clear();
			}
			this.identities.put(certificate, identity);
		}
		if (identity instanceof String reason) {
			throw new BadCredentialsException(reason);
		}
		PreAuthenticatedAuthenticationToken result = new PreAuthenticatedAuthenticationToken(identity, certificate,
				List.of());
		result.setDetails(authentication.getDetails());
		return result;
	}

	/**
	 * Return the certificate's identity, or the reason it cannot be one.
	 */
	private Object resolve(X509Certificate certificate) {
		try {
			return CertificateIdentity.of(certificate);
		}
		catch (MissingIdentityAttributeException ex) {
			logger.warn("Rejected client certificate: subject '%s', issuer '%s', serial %s: %s".formatted(
					certificate.getSubjectX500Principal().getName(), certificate.getIssuerX500Principal().getName(),
					certificate.getSerialNumber().toString(16), ex.getMessage()));
			return ex.getMessage();
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return PreAuthenticatedAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
