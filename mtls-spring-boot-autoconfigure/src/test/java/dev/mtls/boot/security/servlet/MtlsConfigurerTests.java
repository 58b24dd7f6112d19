package dev.mtls.boot.security.servlet;

import java.io.IOException;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.security.IdentityAuthorizationManager;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsConfigurerTests {

	TestCertificateAuthority ca;

	SSLContext alice;

	SSLContext ops;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
		this.alice = ca.client("alice").sslBundle().createSslContext();
		this.ops = ca.client((spec) -> spec.commonName("console").spiffeId("spiffe://acme.org/ns/ops/sa/console"))
			.sslBundle()
			.createSslContext();
	}

	@Test
	void chainWhenMtlsAppliedInOneCallThenPropertyRulesEnforced() throws IOException {
		try (TestService service = TestService.start(OneCallChain.class,
				this.ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
						"mtls.authorization.rules[0].allow=spiffe://acme.org/ns/ops/**"))) {
			assertThat(service.context().getBeanNamesForType(SecurityFilterChain.class)).containsExactly("api");
			assertThat(TlsProbe.status(this.ops, service.port(), "GET", "/admin/x")).isEqualTo(200);
			assertThat(TlsProbe.status(this.alice, service.port(), "GET", "/admin/x")).isEqualTo(403);
			assertThat(TlsProbe.get(this.alice, service.port(), "/whoami")).endsWith("alice");
		}
	}

	@Test
	void chainWhenAuthenticationOnlyAndIdentityAuthorizationManagerThenManagerDecides() throws IOException {
		try (TestService service = TestService.start(OwnRulesChain.class,
				this.ca.writeServiceProperties("mtls.server.client-auth=want"))) {
			assertThat(TlsProbe.status(this.ops, service.port(), "GET", "/admin/x")).isEqualTo(200);
			assertThat(TlsProbe.status(this.alice, service.port(), "GET", "/admin/x")).isEqualTo(403);
			assertThat(
					TlsProbe.status(this.ca.trustOnlySslBundle().createSslContext(), service.port(), "GET", "/admin/x"))
				.isEqualTo(401);
			assertThat(TlsProbe.get(this.alice, service.port(), "/whoami")).endsWith("alice");
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
