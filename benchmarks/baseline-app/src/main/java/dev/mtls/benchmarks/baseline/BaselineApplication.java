package dev.mtls.benchmarks.baseline;

import java.security.Principal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The hand-wired baseline: what a Spring Boot user writes today for mutual TLS without
 * the starter. An SSL bundle and {@code server.ssl.client-auth=need} in
 * application.properties, Spring Security's {@code x509()} naming the user by common
 * name, and every request authenticated. The {@code plain} profile serves the same
 * endpoint over HTTPS without client authentication, Spring Security letting every
 * request through.
 */
@SpringBootApplication
@RestController
public class BaselineApplication {

	public static void main(String[] args) {
		SpringApplication.run(BaselineApplication.class, args);
	}

	@GetMapping("/hello")
	String hello(Principal principal) {
		return "hello " + ((principal != null) ? principal.getName() : "anonymous");
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("plain")
	static class PermitAllSecurityConfiguration {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Profile("!plain")
	static class X509SecurityConfiguration {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.x509(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		UserDetailsService userDetailsService() {
			return (username) -> User.withUsername(username).password("{noop}").roles("SERVICE").build();
		}

	}

}
