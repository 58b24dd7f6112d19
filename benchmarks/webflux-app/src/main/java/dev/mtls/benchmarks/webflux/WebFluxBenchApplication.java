package dev.mtls.benchmarks.webflux;

import java.security.Principal;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;

/**
 * The benchmark endpoint on WebFlux and Reactor Netty. By default on the starter, from
 * {@code mtls.*} properties alone; profile {@code baseline}: the hand-wired way without
 * the starter (an SSL bundle, {@code server.ssl.client-auth=need}, Spring Security's
 * {@code ServerHttpSecurity.x509()} naming the user by common name, every request
 * authenticated); profile {@code plain}: HTTPS without client authentication, Spring
 * Security letting every request through.
 */
@SpringBootApplication
@RestController
public class WebFluxBenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebFluxBenchApplication.class, args);
	}

	/**
	 * Answer {@code Connection: keep-alive} to a request asking for it. {@code ab} speaks
	 * HTTP/1.0 and keeps a connection only when the response says so, which Reactor Netty
	 * does not write for HTTP/1.0 although it keeps the connection open; Tomcat and Jetty
	 * write it. Every profile has this filter, so the sides of a ratio stay alike.
	 * @return the filter
	 */
	@Bean
	WebFilter http10KeepAlive() {
		return (exchange, chain) -> {
			if (exchange.getRequest().getHeaders().getConnection().stream().anyMatch("keep-alive"::equalsIgnoreCase)) {
				exchange.getResponse().getHeaders().setConnection("keep-alive");
			}
			return chain.filter(exchange);
		};
	}

	@GetMapping("/hello")
	Mono<String> hello(Mono<Principal> principal) {
		return principal.map((user) -> "hello " + user.getName()).defaultIfEmpty("hello anonymous");
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("plain")
	static class PermitAllSecurityConfiguration {

		// The shape of a stateless API's chain, as the starter's default, with no
		// authentication.
		@Bean
		SecurityWebFilterChain permitAll(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
				.logout(ServerHttpSecurity.LogoutSpec::disable)
				.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Profile("baseline")
	static class X509SecurityConfiguration {

		@Bean
		SecurityWebFilterChain x509(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.x509(Customizer.withDefaults())
				.build();
		}

		@Bean
		ReactiveUserDetailsService userDetailsService() {
			return (username) -> Mono.just(User.withUsername(username).password("{noop}").roles("SERVICE").build());
		}

	}

}
