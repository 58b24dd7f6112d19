package dev.mtls.boot.security.servlet;

import java.io.IOException;
import java.security.cert.X509Certificate;

import dev.mtls.boot.forwarded.ForwardedRequest;
import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.security.ConnectionRenewal;
import dev.mtls.boot.security.PresentedCertificate;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationDetailsSource;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.util.Assert;
import org.springframework.web.filter.GenericFilterBean;

/**
 * Hands the verified client certificate chain of a request (the servlet attribute
 * {@code jakarta.servlet.request.X509Certificate}) to authentication, the leaf as the
 * principal and the whole chain as the credentials (or, where there is no chain, the
 * request attribute {@link AttestedCertificate#ATTRIBUTE} that the forwarded-certificate
 * filter sets for a trusted proxy's attestation), and goes on unauthenticated when there
 * is none or it is refused: the authorization rules then answer 401 or let a permit-all
 * path through.
 * <p>
 * It does what Spring Security's {@code AbstractPreAuthenticatedProcessingFilter} does,
 * without its two debug messages per request, which commons-logging renders even with
 * debug off (a certificate's {@code toString()} dumps all of it): they cost more than the
 * rest of the authentication.
 */
final class CertificateChainAuthenticationFilter extends GenericFilterBean {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private static final String HTTP_2 = "HTTP/2";

	private final AuthenticationManager authenticationManager;

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	private final AuthenticationDetailsSource<HttpServletRequest, ?> detailsSource = new WebAuthenticationDetailsSource();

	private final SecurityContextRepository securityContextRepository = new RequestAttributeSecurityContextRepository();

	CertificateChainAuthenticationFilter(AuthenticationManager authenticationManager,
			SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(authenticationManager, "An AuthenticationManager is required");
		this.authenticationManager = authenticationManager;
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	// Only the request's own dispatch authenticates: forwards, includes, error and async
	// dispatches find its security context already (or a refusal already counted), as
	// behind a OncePerRequestFilter, without that filter's three request attribute
	// operations per request (each a lookup among the server's own attributes on Jetty).
	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws ServletException, IOException {
		if (servletRequest.getDispatcherType() == DispatcherType.REQUEST
				&& servletRequest instanceof HttpServletRequest request
				&& servletResponse instanceof HttpServletResponse response
				&& this.securityContextHolderStrategy.getContext().getAuthentication() == null) {
			X509Certificate[] certificates = chain(request);
			if (certificates != null) {
				boolean forwarded = certificates[0]
					.equals(request.getAttribute(ForwardedRequest.FORWARDED_CERTIFICATE_ATTRIBUTE));
				AuthenticationException refusal = authenticate(new PreAuthenticatedAuthenticationToken(
						new PresentedCertificate(certificates[0], forwarded), certificates), request, response);
				if ((refusal != null) ? ConnectionRenewal.isDueAfter(refusal)
						: ConnectionRenewal.isDue(this.securityContextHolderStrategy.getContext().getAuthentication(),
								certificates[0], System.currentTimeMillis())) {
					askForNewConnection(request, response);
				}
			}
			else if (request.getAttribute(AttestedCertificate.ATTRIBUTE) instanceof AttestedCertificate attested) {
				authenticate(new PreAuthenticatedAuthenticationToken(attested, attested), request, response);
			}
		}
		chain.doFilter(servletRequest, servletResponse);
	}

	// HTTP/2 has no Connection header; its connections are left as they are. Nor does a
	// forwarded certificate's renewal concern the trusted proxy's connection.
	private static void askForNewConnection(HttpServletRequest request, HttpServletResponse response) {
		String protocol = request.getProtocol();
		if (protocol != null && !protocol.startsWith(HTTP_2)
				&& request.getAttribute(ForwardingProxy.ATTRIBUTE) == null) {
			response.setHeader(HttpHeaders.CONNECTION, "close");
		}
	}

	// The refusal, or null when authenticated.
	private @Nullable AuthenticationException authenticate(PreAuthenticatedAuthenticationToken token,
			HttpServletRequest request, HttpServletResponse response) {
		token.setDetails(this.detailsSource.buildDetails(request));
		try {
			Authentication authentication = this.authenticationManager.authenticate(token);
			SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
			context.setAuthentication(authentication);
			this.securityContextHolderStrategy.setContext(context);
			this.securityContextRepository.saveContext(context, request, response);
			return null;
		}
		catch (AuthenticationException ex) {
			// Already logged once per certificate and reason, and published, by the
			// authenticator.
			this.securityContextHolderStrategy.clearContext();
			if (this.logger.isTraceEnabled()) {
				this.logger.trace("Client certificate not authenticated: " + ex.getMessage());
			}
			return ex;
		}
	}

	private static X509Certificate @Nullable [] chain(HttpServletRequest request) {
		Object certificates = request.getAttribute(CERTIFICATES_ATTRIBUTE);
		return (certificates instanceof X509Certificate[] chain && chain.length > 0) ? chain : null;
	}

}
