package dev.mtls.sample;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mtls.boot.identity.CertificateIdentity;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Greets the caller by its certificate identity, and calls a downstream mTLS service
 * through the auto-configured {@link RestClient.Builder}. Who may call what is decided by
 * {@code mtls.authorization} in application.yml.
 */
@RestController
class HelloController {

	private final RestClient client;

	private final @Nullable URI downstream;

	HelloController(RestClient.Builder builder, SampleProperties properties) {
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
	Map<String, Object> call(HttpServletRequest request) {
		// Without a downstream the sample calls itself on the port the request came in
		// on,
		// known only once the server runs (server.port=0 picks one at start-up).
		URI target = (this.downstream != null) ? this.downstream
				: URI.create("https://localhost:" + request.getLocalPort() + "/hello");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("downstreamSaid", this.client.get().uri(target).retrieve().body(Map.class));
		return body;
	}

}
