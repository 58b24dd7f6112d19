package dev.mtls.it;

import dev.mtls.boot.identity.CertificateIdentity;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application on the starter, run in the test JVM where a test needs its beans:
 * {@code GET /whoami} answers with the caller's principal name.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
class ItApplication {

	@GetMapping("/whoami")
	String whoami(@AuthenticationPrincipal CertificateIdentity caller) {
		return caller.getName();
	}

}
