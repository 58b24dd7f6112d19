package dev.mtls.sample.reactive;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mtls.boot.identity.CertificateIdentity;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Greets the caller by its certificate identity, and calls a downstream mTLS service
 * through the auto-configured {@link WebClient.Builder}. Who may call what is decided by
 * {@code mtls.authorization} in application.yml.
 */
@RestController
class HelloController {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private final WebClient client;

	private final @Nullable URI downstream;

	HelloController(WebClient.Builder builder, SampleProperties properties) {
		this.client = builder.build();
		this.downstream = properties.downstream();
	}

	@GetMapping("/hello")
	Map<String, Object> hello(@AuthenticationPrincipal CertificateIdentity caller) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("hello", caller.getName());
		body.put("subject", caller.getSubject());
		body.put("issuer", caller.getIssuer());
		if (caller.getSpiffeId() != null) {
			body.put("spiffeId", caller.getSpiffeId());
		}
		return body;
	}

	@GetMapping("/admin/status")
	Map<String, Object> adminStatus(@AuthenticationPrincipal CertificateIdentity caller) {
		return Map.of("status", "all good", "admin", caller.getName());
	}

	@PostMapping("/orders")
	Map<String, Object> placeOrder(@AuthenticationPrincipal CertificateIdentity caller) {
		return Map.of("order", "accepted", "placedBy", caller.getName());
	}

	@GetMapping("/orders")
	Map<String, Object> listOrders() {
		return Map.of("orders", 0);
	}

	@GetMapping("/call")
	Mono<Map<String, Object>> call(ServerHttpRequest request) {
		// Without a downstream the sample calls itself on the port the request came in
		// on, known only once the server runs (server.port=0 picks one at start-up).
		URI target = (this.downstream != null) ? this.downstream
				: URI.create("https://localhost:" + localPort(request) + "/hello");
		return this.client.get().uri(target).retrieve().bodyToMono(JSON_OBJECT).map((answer) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("downstreamSaid", answer);
			return body;
		});
	}

	private static int localPort(ServerHttpRequest request) {
		InetSocketAddress local = request.getLocalAddress();
		Assert.state(local != null, "The server did not tell the request's local address");
		return local.getPort();
	}

}
