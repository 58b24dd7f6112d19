package dev.mtls.benchmarks.starter;

import java.security.Principal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline's endpoint on the starter: mutual TLS, identity and rules come from
 * {@code mtls.*} properties alone. Two references run the same jar without mutual TLS:
 * profile {@code plain} (the starter off, HTTPS without client authentication, Spring
 * Security letting every request through) and profile {@code bare} (the same without
 * Spring Security).
 */
@SpringBootApplication
@RestController
public class StarterApplication {

	public static void main(String[] args) {
		SpringApplication.run(StarterApplication.class, args);
	}

	@GetMapping("/hello")
	String hello(Principal principal) {
		return "hello " + ((principal != null) ? principal.getName() : "anonymous");
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("plain & !bare")
	static class PermitAllSecurityConfiguration {

		// The shape of a stateless API's chain, as the starter's default, with no
		// authentication.
		@Bean
		SecurityFilterChain permitAll(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf((csrf) -> csrf.disable())
				.requestCache((cache) -> cache.disable())
				.logout((logout) -> logout.disable())
				.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
			return http.build();
		}

	}

}
