package dev.mtls.boot.security;

import java.security.cert.X509Certificate;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;

/**
 * Hands the verified client certificate chain of a request (the servlet attribute
 * {@code jakarta.servlet.request.X509Certificate}) to authentication: the leaf as the
 * principal, the whole chain as the credentials.
 */
final class CertificateChainAuthenticationFilter extends AbstractPreAuthenticatedProcessingFilter {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	@Override
	protected @Nullable Object getPreAuthenticatedPrincipal(HttpServletRequest request) {
		X509Certificate[] chain = chain(request);
		return (chain != null) ? chain[0] : null;
	}

	@Override
	protected @Nullable Object getPreAuthenticatedCredentials(HttpServletRequest request) {
		return chain(request);
	}

	private static X509Certificate @Nullable [] chain(HttpServletRequest request) {
		Object certificates = request.getAttribute(CERTIFICATES_ATTRIBUTE);
		return (certificates instanceof X509Certificate[] chain && chain.length > 0) ? chain : null;
	}

}
