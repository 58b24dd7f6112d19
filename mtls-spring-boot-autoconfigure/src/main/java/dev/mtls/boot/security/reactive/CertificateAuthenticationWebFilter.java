package dev.mtls.boot.security.reactive;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

import dev.mtls.boot.forwarded.ForwardedRequest;
import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.security.ConnectionRenewal;
import dev.mtls.boot.security.PresentedCertificate;
import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Hands the client certificate chain of an exchange
 * ({@link SslInfo#getPeerCertificates()}, as the TLS handshake verified it) to
 * authentication, the leaf as the principal and the whole chain as the credentials (or,
 * where there is no chain, the exchange attribute {@link AttestedCertificate#ATTRIBUTE}
 * that the forwarded-certificate filter sets for a trusted proxy's attestation), and goes
 * on with the authentication in the Reactor security context; or unauthenticated when
 * there is no chain or it is refused: the authorization rules then answer 401 or let a
 * permit-all path through.
 * <p>
 * Unlike Spring Security's {@code AuthenticationWebFilter} it neither answers a refused
 * certificate itself nor saves the context: a certificate authenticates every request.
 */
class CertificateAuthenticationWebFilter implements WebFilter {

	private static final boolean SERVLET_PRESENT = ClassUtils.isPresent("jakarta.servlet.ServletRequest",
			CertificateAuthenticationWebFilter.class.getClassLoader());

	private final ReactiveAuthenticationManager authenticationManager;

	private final @Nullable AuthenticationEventPublisher eventPublisher;

	CertificateAuthenticationWebFilter(ReactiveAuthenticationManager authenticationManager,
			@Nullable AuthenticationEventPublisher eventPublisher) {
		this.authenticationManager = authenticationManager;
		this.eventPublisher = eventPublisher;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		X509Certificate[] certificates = chain(exchange.getRequest());
		AttestedCertificate attested = (certificates != null) ? null
				: exchange.getAttribute(AttestedCertificate.ATTRIBUTE);
		if (certificates == null && attested == null) {
			return proceed(exchange, chain, null);
		}
		// Not a subclass, which may answer otherwise.
		if (this.authenticationManager.getClass() == CertificateReactiveAuthenticationManager.class) {
			return filterNow((CertificateReactiveAuthenticationManager) this.authenticationManager, certificates,
					attested, exchange, chain);
		}
		PreAuthenticatedAuthenticationToken token = token(certificates, attested, exchange);
		return this.authenticationManager.authenticate(token)
			.map(Optional::of)
			// Already logged once per certificate and reason by the authenticator.
			.onErrorResume(AuthenticationException.class, (ex) -> {
				if (ConnectionRenewal.isDueAfter(ex)) {
					askForNewConnection(exchange, certificates);
				}
				return Mono.just(refused(ex, token));
			})
			.defaultIfEmpty(Optional.empty())
			.flatMap((authentication) -> {
				if (authentication.isPresent() && certificates != null
						&& ConnectionRenewal.isDue(authentication.get(), certificates[0], System.currentTimeMillis())) {
					askForNewConnection(exchange, certificates);
				}
				return proceed(exchange, chain, authentication.orElse(null));
			});
	}

	/**
	 * Go on with the exchange once its certificate is authenticated or not.
	 * @param exchange the exchange
	 * @param chain the rest of the chain
	 * @param authentication the certificate's authentication, or {@code null} when the
	 * exchange has no certificate or it was refused
	 * @return the rest of the exchange
	 */
	Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, @Nullable Authentication authentication) {
		return (authentication != null)
				? chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication))
				: chain.filter(exchange);
	}

	// The starter's own manager answers on the calling thread, so its answer needs no
	// operators of its own: five fewer per request, a measurable share of a small
	// request's CPU on an event loop.
	private Mono<Void> filterNow(CertificateReactiveAuthenticationManager certificateManager,
			X509Certificate @Nullable [] certificates, @Nullable AttestedCertificate attested,
			ServerWebExchange exchange, WebFilterChain chain) {
		Authentication authentication;
		try {
			authentication = (certificates != null)
					? certificateManager.authenticateNow(certificates, isForwarded(certificates, exchange), null)
					: certificateManager.authenticateNow(Objects.requireNonNull(attested), null);
		}
		catch (AuthenticationException ex) {
			refused(ex, token(certificates, attested, exchange));
			if (ConnectionRenewal.isDueAfter(ex)) {
				askForNewConnection(exchange, certificates);
			}
			return proceed(exchange, chain, null);
		}
		if (certificates != null
				&& ConnectionRenewal.isDue(authentication, certificates[0], System.currentTimeMillis())) {
			askForNewConnection(exchange, certificates);
		}
		return proceed(exchange, chain, authentication);
	}

	// See ConnectionRenewal. HTTP/2 has no Connection header: Reactor Netty and Jetty
	// drop it from an HTTP/2 response, Tomcat would send it. Nor does a forwarded
	// certificate's renewal concern the trusted proxy's connection.
	private static void askForNewConnection(ServerWebExchange exchange, X509Certificate @Nullable [] certificates) {
		if (certificates != null && exchange.getAttribute(ForwardingProxy.ATTRIBUTE) == null
				&& !isServletHttp2(exchange)) {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
		}
	}

	private static boolean isServletHttp2(ServerWebExchange exchange) {
		if (!SERVLET_PRESENT) {
			return false;
		}
		try {
			return ServletProtocol.isHttp2(ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()));
		}
		catch (IllegalStateException ex) {
			// A mock request (WebTestClient) has no native request.
			return false;
		}
	}

	// A chain as the starter's servlet filter presents it; or what a trusted proxy
	// attested of a certificate it did not forward, as principal and credentials.
	private static PreAuthenticatedAuthenticationToken token(X509Certificate @Nullable [] certificates,
			@Nullable AttestedCertificate attested, ServerWebExchange exchange) {
		if (certificates != null) {
			return new PreAuthenticatedAuthenticationToken(
					new PresentedCertificate(certificates[0], isForwarded(certificates, exchange)), certificates);
		}
		AttestedCertificate credentials = Objects.requireNonNull(attested);
		return new PreAuthenticatedAuthenticationToken(credentials, credentials);
	}

	private Optional<Authentication> refused(AuthenticationException ex, Authentication token) {
		// Failures only: a certificate authenticates every request anew, so a success
		// event per request says nothing an audit needs; the mtls.authentication metric
		// counts successes.
		if (this.eventPublisher != null) {
			this.eventPublisher.publishAuthenticationFailure(ex, token);
		}
		return Optional.empty();
	}

	// A chain a trusted proxy forwarded is checked against the forwarded trust.
	private static boolean isForwarded(X509Certificate[] certificates, ServerWebExchange exchange) {
		Object forwarded = exchange.getAttribute(ForwardedRequest.FORWARDED_CERTIFICATE_ATTRIBUTE);
		return forwarded != null && certificates[0].equals(forwarded);
	}

	static X509Certificate @Nullable [] chain(ServerHttpRequest request) {
		X509Certificate[] certificates = ReactorNettyPeerChain.of(request);
		if (certificates == ReactorNettyPeerChain.UNKNOWN) {
			SslInfo sslInfo = request.getSslInfo();
			certificates = (sslInfo != null) ? sslInfo.getPeerCertificates() : null;
		}
		return (certificates != null && certificates.length > 0) ? certificates : null;
	}

	// Loaded only where the servlet API is on the class path (WebFlux on Tomcat or a
	// servlet adapter).
	private static final class ServletProtocol {

		static boolean isHttp2(Object nativeRequest) {
			return (nativeRequest instanceof ServletRequest request) && "HTTP/2.0".equals(request.getProtocol());
		}

	}

}
