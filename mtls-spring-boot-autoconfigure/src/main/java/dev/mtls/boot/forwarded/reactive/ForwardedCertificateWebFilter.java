package dev.mtls.boot.forwarded.reactive;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.ForwardedRequest;
import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.identity.AttestedCertificate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Replaces a request's client certificate ({@link SslInfo}) by the one a trusted proxy
 * forwarded in a header (or by none, when the proxy forwarded none), removes the
 * forwarding headers that any other peer sent, and answers 400 to a trusted proxy's
 * malformed header. It runs first, so nothing in the application sees an untrusted header
 * or the proxy's own certificate as the client's.
 *
 * @since 0.1.0
 */
public class ForwardedCertificateWebFilter implements WebFilter, Ordered {

	private final ForwardedCertificateResolver resolver;

	/**
	 * Create a filter.
	 * @param resolver decides whose certificate a request carries
	 */
	public ForwardedCertificateWebFilter(ForwardedCertificateResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		SslInfo sslInfo = request.getSslInfo();
		X509Certificate[] peer = (sslInfo != null) ? sslInfo.getPeerCertificates() : null;
		ForwardedRequest decision = this.resolver.resolve(peer, address(request), request.getHeaders()::getOrEmpty);
		return switch (decision.kind()) {
			case DIRECT -> chain.filter(exchange);
			case PROXY -> {
				ForwardingProxy proxy = decision.proxy();
				if (proxy != null) {
					exchange.getAttributes().put(ForwardingProxy.ATTRIBUTE, proxy);
				}
				yield chain.filter(exchange);
			}
			case UNTRUSTED_SOURCE -> chain.filter(exchange.mutate()
				.request(request.mutate()
					.headers((headers) -> this.resolver.getHeaders().forEach(headers::remove))
					.build())
				.build());
			case FORWARDED, ATTESTED, NO_CERTIFICATE, REFUSED -> {
				ForwardingProxy proxy = decision.proxy();
				if (proxy != null) {
					exchange.getAttributes().put(ForwardingProxy.ATTRIBUTE, proxy);
				}
				AttestedCertificate attested = decision.attested();
				if (attested != null) {
					// In place of a chain, for the authentication filter.
					exchange.getAttributes().put(AttestedCertificate.ATTRIBUTE, attested);
				}
				X509Certificate[] forwarded = decision.chain().toArray(X509Certificate[]::new);
				if (forwarded.length > 0) {
					exchange.getAttributes().put(ForwardedRequest.FORWARDED_CERTIFICATE_ATTRIBUTE, forwarded[0]);
				}
				String sessionId = (sslInfo != null) ? sslInfo.getSessionId() : null;
				boolean refused = decision.kind() == ForwardedRequest.Kind.REFUSED;
				// A refused certificate's header is removed too: nothing may read it
				// as the caller's.
				yield chain.filter(exchange.mutate()
					.request(request.mutate()
						.sslInfo(new ForwardedSslInfo(sessionId, (forwarded.length > 0) ? forwarded : null))
						.headers((headers) -> {
							if (refused) {
								this.resolver.getHeaders().forEach(headers::remove);
							}
						})
						.build())
					.build());
			}
			case MALFORMED -> badRequest(exchange.getResponse(), decision.problem());
		};
	}

	private static @Nullable String address(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : null;
	}

	private static Mono<Void> badRequest(ServerHttpResponse response, @Nullable String problem) {
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		DataBuffer body = response.bufferFactory()
			.wrap(("Malformed forwarded client certificate: " + problem + "\n").getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

	/**
	 * The TLS session of the connection to the proxy, with the forwarded chain as the
	 * peer's certificates.
	 */
	private record ForwardedSslInfo(@Nullable String sessionId, X509Certificate @Nullable [] chain) implements SslInfo {

		@Override
		public @Nullable String getSessionId() {
			return this.sessionId;
		}

		@Override
		public X509Certificate @Nullable [] getPeerCertificates() {
			return (this.chain != null) ? this.chain.clone() : null;
		}

	}

}
