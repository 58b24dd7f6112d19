package dev.mtls.boot.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mtls.boot.identity.CertificateIdentity;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A WebFlux service with the endpoints of {@link RulesTestApp} for authorization tests;
 * every endpoint answers with the caller's principal name, or "anonymous".
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableReactiveMethodSecurity
@RestController
public class ReactiveRulesTestApp {

	@GetMapping({ "/whoami", "/admin/**", "/orders/**", "/reports/**", "/public/**", "/other/**" })
	Mono<String> get(@AuthenticationPrincipal CertificateIdentity caller) {
		return Mono.just((caller != null) ? caller.getName() : "anonymous");
	}

	@PostMapping("/orders/**")
	Mono<String> post(@AuthenticationPrincipal CertificateIdentity caller) {
		return Mono.just("created by " + caller.getName());
	}

	@GetMapping("/spel/alice")
	@PreAuthorize("@mtls.allows('cn:alice')")
	Mono<String> spelAlice() {
		return Mono.just("alice only");
	}

	@GetMapping("/spel/auditor")
	@PreAuthorize("@mtls.allows('authority:ROLE_AUDITOR')")
	Mono<String> spelAuditor() {
		return Mono.just("auditors only");
	}

	@Bean
	Events events() {
		return new Events();
	}

	/**
	 * Collects the authorization denials and authentication failures Spring Security
	 * publishes.
	 */
	public static class Events implements ApplicationListener<ApplicationEvent> {

		private final List<AuthorizationDeniedEvent<?>> denied = new CopyOnWriteArrayList<>();

		private final List<AbstractAuthenticationFailureEvent> failures = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof AuthorizationDeniedEvent<?> deniedEvent) {
				this.denied.add(deniedEvent);
			}
			else if (event instanceof AbstractAuthenticationFailureEvent failure) {
				this.failures.add(failure);
			}
		}

		public List<AuthorizationDeniedEvent<?>> denied() {
			return this.denied;
		}

		public List<AbstractAuthenticationFailureEvent> failures() {
			return this.failures;
		}

	}

}
