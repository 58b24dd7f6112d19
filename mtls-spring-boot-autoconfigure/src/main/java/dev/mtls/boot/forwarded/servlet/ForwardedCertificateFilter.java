package dev.mtls.boot.forwarded.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Collections;

import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.ForwardedRequest;
import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.identity.AttestedCertificate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.GenericFilterBean;

/**
 * Replaces a request's client certificate by the one a trusted proxy forwarded in a
 * header (or by none, when the proxy forwarded none, or by what the proxy attested of one
 * in the request attribute {@link AttestedCertificate#ATTRIBUTE}), removes the forwarding
 * headers that any other peer sent, and answers 400 to a trusted proxy's malformed
 * header. It runs first, on every dispatch (an error dispatch gets the container's
 * request, not this filter's), so nothing in the application sees an untrusted header or
 * the proxy's own certificate as the client's.
 *
 * @since 0.1.0
 */
public class ForwardedCertificateFilter extends GenericFilterBean {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private static final String DECISION_ATTRIBUTE = ForwardedRequest.class.getName();

	private final ForwardedCertificateResolver resolver;

	/**
	 * Create a filter.
	 * @param resolver decides whose certificate a request carries
	 */
	public ForwardedCertificateFilter(ForwardedCertificateResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest httpRequest) || request instanceof ForwardedServletRequest) {
			chain.doFilter(request, response);
			return;
		}
		ForwardedRequest decision = decide(httpRequest);
		switch (decision.kind()) {
			case DIRECT -> chain.doFilter(request, response);
			case PROXY -> {
				ForwardingProxy proxy = decision.proxy();
				if (proxy != null) {
					request.setAttribute(ForwardingProxy.ATTRIBUTE, proxy);
				}
				chain.doFilter(request, response);
			}
			case UNTRUSTED_SOURCE -> chain.doFilter(
					new ForwardedServletRequest(httpRequest, this.resolver.getHeaders(), peerChain(httpRequest)),
					response);
			case FORWARDED, ATTESTED, NO_CERTIFICATE, REFUSED -> {
				ForwardingProxy proxy = decision.proxy();
				if (proxy != null) {
					request.setAttribute(ForwardingProxy.ATTRIBUTE, proxy);
				}
				AttestedCertificate attested = decision.attested();
				if (attested != null) {
					// In place of a chain, for the authentication filter.
					request.setAttribute(AttestedCertificate.ATTRIBUTE, attested);
				}
				X509Certificate[] forwarded = decision.chain().toArray(X509Certificate[]::new);
				if (forwarded.length > 0) {
					request.setAttribute(ForwardedRequest.FORWARDED_CERTIFICATE_ATTRIBUTE, forwarded[0]);
				}
				// A refused certificate's header is hidden too: nothing may read it as
				// the caller's.
				chain.doFilter(new ForwardedServletRequest(httpRequest, this.resolver.getHeaders(),
						(forwarded.length > 0) ? forwarded : null, decision.kind() == ForwardedRequest.Kind.REFUSED),
						response);
			}
			case MALFORMED -> badRequest((HttpServletResponse) response, decision.problem());
		}
	}

	// The decision is made once: a later dispatch of the same request (an error page, an
	// async completion) reuses it, uncounted.
	private ForwardedRequest decide(HttpServletRequest request) {
		if (request.getAttribute(DECISION_ATTRIBUTE) instanceof ForwardedRequest decided) {
			return decided;
		}
		ForwardedRequest decision = this.resolver.resolve(peerChain(request), request.getRemoteAddr(),
				(name) -> Collections.list(request.getHeaders(name)));
		request.setAttribute(DECISION_ATTRIBUTE, decision);
		return decision;
	}

	private static X509Certificate @Nullable [] peerChain(HttpServletRequest request) {
		Object certificates = request.getAttribute(CERTIFICATES_ATTRIBUTE);
		return (certificates instanceof X509Certificate[] chain && chain.length > 0) ? chain : null;
	}

	private static void badRequest(HttpServletResponse response, @Nullable String problem) throws IOException {
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		response.setContentType("text/plain;charset=UTF-8");
		byte[] body = ("Malformed forwarded client certificate: " + problem + "\n").getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
