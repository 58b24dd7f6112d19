package dev.mtls.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mtls.boot.identity.CertificateIdentity;

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

	private final RestClient downstream;

	HelloController(RestClient.Builder builder, SampleProperties properties) {
		this.downstream = builder.baseUrl(properties.downstream()).build();
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
	Map<String, Object> call() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("downstreamSaid", this.downstream.get().retrieve().body(Map.class));
		return body;
	}

}
