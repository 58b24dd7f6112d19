package dev.mtls.benchmarks.jetty;

import java.security.Principal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark endpoint on Spring MVC and Jetty. By default on the starter, from
 * {@code mtls.*} properties alone; profile {@code baseline}: the hand-wired way without
 * the starter (an SSL bundle, {@code server.ssl.client-auth=need}, Spring Security's
 * {@code x509()} naming the user by common name, every request authenticated), as
 * {@code benchmarks/baseline-app} on Tomcat; profile {@code plain}: HTTPS without client
 * authentication, Spring Security letting every request through.
 */
@SpringBootApplication
@RestController
public class JettyBenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(JettyBenchApplication.class, args);
	}

	@GetMapping("/hello")
	String hello(Principal principal) {
		return "hello " + ((principal != null) ? principal.getName() : "anonymous");
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("plain")
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

	@Configuration(proxyBeanMethods = false)
	@Profile("baseline")
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
