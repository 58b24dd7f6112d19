package dev.mtls.boot.test;

import dev.mtls.boot.identity.CertificateIdentity;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service protected by {@code mtls.authorization} rules (see
 * {@code application-personas.properties}): {@code /admin} for alice, POST
 * {@code /orders} for the checkout workload, {@code /public} for anyone.
 */
@SpringBootApplication
@RestController
public class PersonaTestApp {

	@GetMapping({ "/admin", "/whoami", "/public" })
	String get(@AuthenticationPrincipal CertificateIdentity caller) {
		return (caller != null) ? caller.getName() : "anonymous";
	}

	@PostMapping("/orders")
	String order(@AuthenticationPrincipal CertificateIdentity caller) {
		return "ordered by " + caller.getName();
	}

}
