package dev.mtls.boot.security.servlet;

import java.io.IOException;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.security.IdentityAuthorizationManager;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java API for applications with their own {@link SecurityFilterChain}:
 * {@link MtlsConfigurer} and {@link IdentityAuthorizationManager}.
 */
class MtlsConfigurerTests {

	@TempDir
	Path directory;

	TestPki pki;

	SSLContext alice;

	SSLContext ops;

	@BeforeEach
	void mint() {
		this.pki = new TestPki(this.directory);
		this.alice = this.pki.clientContext(this.pki.alice());
		this.ops = this.pki.clientContext(
				this.pki.ca().certificate("console").uris("spiffe://acme.org/ns/ops/sa/console").clientAuth().issue());
	}

	@Test
	void chainWhenMtlsAppliedInOneCallThenPropertyRulesEnforced() throws IOException {
		try (TestService service = TestService.start(OneCallChain.class,
				this.pki.serviceProperties("mtls.authorization.rules[0].paths=/admin/**",
						"mtls.authorization.rules[0].allow=spiffe://acme.org/ns/ops/**"))) {
			assertThat(service.context().getBeanNamesForType(SecurityFilterChain.class)).containsExactly("api");
			assertThat(TestPki.status(this.ops, service.port(), "GET", "/admin/x")).isEqualTo(200);
			assertThat(TestPki.status(this.alice, service.port(), "GET", "/admin/x")).isEqualTo(403);
			assertThat(TestPki.get(this.alice, service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void chainWhenAuthenticationOnlyAndIdentityAuthorizationManagerThenManagerDecides() throws IOException {
		try (TestService service = TestService.start(OwnRulesChain.class,
				this.pki.serviceProperties("mtls.server.client-auth=want"))) {
			assertThat(TestPki.status(this.ops, service.port(), "GET", "/admin/x")).isEqualTo(200);
			assertThat(TestPki.status(this.alice, service.port(), "GET", "/admin/x")).isEqualTo(403);
			assertThat(TestPki.status(this.pki.clientContext(null), service.port(), "GET", "/admin/x")).isEqualTo(401);
			assertThat(TestPki.get(this.alice, service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RulesTestApp.class)
	static class OneCallChain {

		@Bean
		SecurityFilterChain api(HttpSecurity http) {
			http.with(MtlsConfigurer.mtls(), Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(RulesTestApp.class)
	static class OwnRulesChain {

		@Bean
		SecurityFilterChain api(HttpSecurity http) {
			http.with(MtlsConfigurer.mtls().authenticationOnly(), Customizer.withDefaults());
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin/**")
				.access(IdentityAuthorizationManager.allow("spiffe://acme.org/ns/ops/**"))
				.anyRequest()
				.authenticated());
			return http.build();
		}

	}

}
