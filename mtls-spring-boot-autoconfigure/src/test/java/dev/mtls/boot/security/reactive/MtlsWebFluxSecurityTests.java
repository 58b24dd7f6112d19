package dev.mtls.boot.security.reactive;

import java.util.List;

import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.test.MtlsWebTestClient;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.ReactiveRulesTestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationWebFilter;
import org.springframework.security.web.server.authorization.ExceptionTranslationWebFilter;
import org.springframework.security.web.server.authorization.HttpStatusServerAccessDeniedHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.web.reactive.server.StatusAssertions;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The Java API for WebFlux applications with their own {@link SecurityWebFilterChain}:
 * {@link MtlsWebFluxSecurity} and {@link ReactiveIdentityAuthorizationManager}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsWebFluxSecurityTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner();

	TestCertificateAuthority ca;

	TestCertificate alice;

	TestCertificate ops;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
		this.alice = ca.client("alice");
		this.ops = ca.client((spec) -> spec.commonName("console").spiffeId("spiffe://acme.org/ns/ops/sa/console"));
	}

	@Test
	void chainWhenMtlsAppliedInOneCallThenPropertyRulesEnforced() {
		this.contextRunner.withUserConfiguration(OneCallChain.class)
			.withPropertyValues(this.ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
					"mtls.authorization.rules[0].allow=spiffe://acme.org/ns/ops/**"))
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();

				assertThat(context.getBeanNamesForType(SecurityWebFilterChain.class)).containsExactly("api");
				assertOpsOnlyOnAdmin(client);
			});
	}

	@Test
	void chainWhenAuthenticationOnlyAndReactiveIdentityAuthorizationManagerThenManagerDecides() {
		this.contextRunner.withUserConfiguration(OwnRulesChain.class)
			.withPropertyValues(this.ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
					"mtls.authorization.rules[0].permit-all=true"))
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();

				assertOpsOnlyOnAdmin(client);
			});
	}

	@Test
	void chainWhenRulesAppliedAsSoleAuthorizationThenSameAnswersAndPermittedPathsOpen() {
		this.contextRunner.withUserConfiguration(SoleAuthorizationChain.class)
			.withPropertyValues(this.ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
					"mtls.authorization.rules[0].allow=spiffe://acme.org/ns/ops/**"))
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();

				assertOpsOnlyOnAdmin(client);
				// The permitted paths, asked and then remembered, with or without a
				// certificate.
				for (int i = 0; i < 2; i++) {
					client.get().uri("/public/x").exchange().expectStatus().isOk();
					status(client, this.alice, "/public/x").isOk().expectBody(String.class).isEqualTo("alice");
				}
			});
	}

	@Test
	void chainWhenRulesAppliedAsSoleAuthorizationThenNoAuthorizationFilterAndMethodSecurityDenialsTranslated() {
		this.contextRunner.withUserConfiguration(SoleAuthorizationChain.class)
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				List<Class<?>> filters = context.getBean(SecurityWebFilterChain.class)
					.getWebFilters()
					.<Class<?>>map(Object::getClass)
					.collectList()
					.block();

				assertThat(filters).doesNotContain(AuthorizationWebFilter.class)
					.containsOnlyOnce(ExceptionTranslationWebFilter.class);
				// Let through by the chain, refused by @PreAuthorize.
				client.get().uri("/spel/alice").exchange().expectStatus().isUnauthorized();
				status(client, this.ops, "/spel/alice").isForbidden();
				status(client, this.alice, "/spel/alice").isOk();
			});
	}

	@Test
	void chainWhenRulesAppliedAsSoleAuthorizationAndOwnAuthorizeExchangeThenBothDecide() {
		this.contextRunner.withUserConfiguration(SoleAuthorizationAndOwnRulesChain.class)
			.withPropertyValues(this.ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
					"mtls.authorization.rules[0].allow=spiffe://acme.org/ns/ops/**"))
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();

				assertOpsOnlyOnAdmin(client);
				// Allowed by the rules (no rule matches: a certificate is enough),
				// refused
				// by the chain's own authorization, answered by its exception handling.
				status(client, this.alice, "/other/x").isEqualTo(HttpStatus.I_AM_A_TEAPOT);
				status(client, this.ops, "/other/x").isOk();
			});
	}

	@Test
	void chainWhenRulesAppliedAsSoleAuthorizationWithOwnAuthenticationManagerThenItsAnswersCount() {
		this.contextRunner.withUserConfiguration(OwnManagerSoleAuthorizationChain.class)
			.withPropertyValues(this.ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
					"mtls.authorization.rules[0].allow=spiffe://acme.org/ns/ops/**"))
			.run((context) -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();

				assertOpsOnlyOnAdmin(client);
				// Refused by the application's manager, asynchronously: no
				// authentication.
				status(client, this.ca.client("bob"), "/whoami").isUnauthorized();
			});
	}

	@Test
	void applyAsSoleAuthorizationWhenAuthenticationOnlyThenRefused() {
		this.contextRunner.withUserConfiguration(ReactiveRulesTestApp.class)
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertThatIllegalStateException()
				.isThrownBy(() -> context.getBean(MtlsWebFluxSecurity.class)
					.authenticationOnly()
					.applyAsSoleAuthorization(ServerHttpSecurity.http(), null))
				.withMessageContaining("authentication-only"));
	}

	// ops is allowed on /admin/**, alice forbidden, no certificate unauthorized, and
	// alice is herself elsewhere.
	private void assertOpsOnlyOnAdmin(WebTestClient client) {
		status(client, this.ops, "/admin/x").isOk();
		status(client, this.alice, "/admin/x").isForbidden();
		client.get().uri("/admin/x").exchange().expectStatus().isUnauthorized();
		status(client, this.alice, "/whoami").isOk().expectBody(String.class).isEqualTo("alice");
	}

	private StatusAssertions status(WebTestClient client, TestCertificate certificate, String path) {
		return client.mutateWith(MtlsWebTestClient.certificate(certificate)).get().uri(path).exchange().expectStatus();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReactiveRulesTestApp.class)
	static class OneCallChain {

		@Bean
		SecurityWebFilterChain api(ServerHttpSecurity http, MtlsWebFluxSecurity mtls) {
			return mtls.applyTo(http).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReactiveRulesTestApp.class)
	static class SoleAuthorizationChain {

		@Bean
		SecurityWebFilterChain api(ServerHttpSecurity http, MtlsWebFluxSecurity mtls) {
			return mtls
				.applyAsSoleAuthorization(http,
						new PathCachingExchangeMatcher(
								ServerWebExchangeMatchers.pathMatchers("/public/**", "/spel/**")))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReactiveRulesTestApp.class)
	static class SoleAuthorizationAndOwnRulesChain {

		@Bean
		SecurityWebFilterChain api(ServerHttpSecurity http, MtlsWebFluxSecurity mtls) {
			mtls.applyAsSoleAuthorization(http, null);
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/other/**")
				.access(ReactiveIdentityAuthorizationManager.allow("spiffe://acme.org/ns/ops/**"))
				.anyExchange()
				.permitAll());
			http.exceptionHandling((exceptions) -> exceptions
				.accessDeniedHandler(new HttpStatusServerAccessDeniedHandler(HttpStatus.I_AM_A_TEAPOT)));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReactiveRulesTestApp.class)
	static class OwnManagerSoleAuthorizationChain {

		// Not the starter's manager: the filter takes the reactive path, on another
		// thread.
		@Bean
		SecurityWebFilterChain api(ServerHttpSecurity http, CertificateAuthenticator authenticator,
				ReactiveAuthorizationRules rules) {
			ReactiveAuthenticationManager starters = new CertificateReactiveAuthenticationManager(authenticator);
			ReactiveAuthenticationManager refusingBob = (token) -> starters.authenticate(token)
				.publishOn(Schedulers.parallel())
				.filter((authentication) -> !"bob".equals(authentication.getName()))
				.switchIfEmpty(Mono.error(new BadCredentialsException("not bob")));
			return new MtlsWebFluxSecurity(refusingBob, rules, null).applyAsSoleAuthorization(http, null).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReactiveRulesTestApp.class)
	static class OwnRulesChain {

		// The property rules would permit /admin/** to all: they do not apply here.
		@Bean
		SecurityWebFilterChain api(ServerHttpSecurity http, MtlsWebFluxSecurity mtls) {
			mtls.authenticationOnly().applyTo(http);
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/admin/**")
				.access(ReactiveIdentityAuthorizationManager.allow("spiffe://acme.org/ns/ops/**"))
				.anyExchange()
				.authenticated());
			return http.build();
		}

	}

}
