package dev.mtls.boot.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mtls.boot.identity.CertificateIdentity;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service with endpoints for authorization tests; every endpoint answers with the
 * caller's principal name, or "anonymous".
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableMethodSecurity
@RestController
public class RulesTestApp {

	@GetMapping({ "/whoami", "/admin/**", "/orders/**", "/reports/**", "/public/**", "/other/**" })
	String get(@AuthenticationPrincipal CertificateIdentity caller) {
		return (caller != null) ? caller.getName() : "anonymous";
	}

	@PostMapping("/orders/**")
	String post(@AuthenticationPrincipal CertificateIdentity caller) {
		return "created by " + caller.getName();
	}

	@GetMapping("/spel/alice")
	@PreAuthorize("@mtls.allows('cn:alice')")
	String spelAlice() {
		return "alice only";
	}

	@GetMapping("/spel/auditor")
	@PreAuthorize("@mtls.allows('authority:ROLE_AUDITOR')")
	String spelAuditor() {
		return "auditors only";
	}

	@Bean
	DeniedEvents deniedEvents() {
		return new DeniedEvents();
	}

	/**
	 * Collects the authorization denials Spring Security publishes.
	 */
	public static class DeniedEvents implements ApplicationListener<AuthorizationDeniedEvent<?>> {

		private final List<AuthorizationDeniedEvent<?>> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AuthorizationDeniedEvent<?> event) {
			this.events.add(event);
		}

		public List<AuthorizationDeniedEvent<?>> events() {
			return this.events;
		}

	}

}
