package dev.mtls.boot.security.reactive;

import java.security.cert.X509Certificate;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.security.PresentedCertificate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Authenticates the pre-authenticated certificate chain of an exchange (a
 * {@link PreAuthenticatedAuthenticationToken} whose credentials are the chain, leaf
 * first) with a {@link CertificateAuthenticator}; the reactive counterpart of
 * {@code CertificateAuthenticationProvider}.
 * <p>
 * The authenticator works on the calling thread: it parses a certificate once (cached)
 * and re-checks the chain against the current trust material, which is cached per
 * certificate as well, so it does not block an event loop.
 *
 * @since 0.1.0
 */
public class CertificateReactiveAuthenticationManager implements ReactiveAuthenticationManager {

	private final CertificateAuthenticator authenticator;

	public CertificateReactiveAuthenticationManager(CertificateAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		if (authentication instanceof PreAuthenticatedAuthenticationToken
				&& authentication.getCredentials() instanceof AttestedCertificate attested) {
			return Mono.fromCallable(() -> authenticateNow(attested, authentication.getDetails()));
		}
		if (!(authentication instanceof PreAuthenticatedAuthenticationToken)
				|| !(authentication.getCredentials() instanceof X509Certificate[] chain) || chain.length == 0) {
			return Mono.empty();
		}
		boolean forwarded = authentication.getPrincipal() instanceof PresentedCertificate presented
				&& presented.forwarded();
		return Mono.fromCallable(() -> authenticateNow(chain, forwarded, authentication.getDetails()));
	}

	/**
	 * Authenticate a chain on the calling thread.
	 * @param chain the chain, leaf first, not empty
	 * @param forwarded whether a trusted proxy forwarded the chain
	 * @param details the details of the authentication, or {@code null}
	 * @return the authentication
	 * @throws AuthenticationException if the chain is refused
	 */
	Authentication authenticateNow(X509Certificate[] chain, boolean forwarded, @Nullable Object details) {
		return forwarded ? this.authenticator.authenticateForwarded(chain, details)
				: this.authenticator.authenticate(chain, details);
	}

	/**
	 * Authenticate what a trusted proxy attested of a certificate, on the calling thread.
	 * @param attested what the proxy attested
	 * @param details the details of the authentication, or {@code null}
	 * @return the authentication
	 * @throws AuthenticationException if it names no principal
	 */
	Authentication authenticateNow(AttestedCertificate attested, @Nullable Object details) {
		return this.authenticator.authenticate(attested, details);
	}

}
