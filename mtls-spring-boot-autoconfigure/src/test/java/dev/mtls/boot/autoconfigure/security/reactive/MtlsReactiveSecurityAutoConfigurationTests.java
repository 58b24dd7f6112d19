package dev.mtls.boot.autoconfigure.security.reactive;

import java.util.List;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.actuate.MtlsActuatorAutoConfiguration;
import dev.mtls.boot.autoconfigure.security.servlet.MtlsSecurityAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.security.reactive.CertificateReactiveAuthenticationManager;
import dev.mtls.boot.security.reactive.MtlsWebFluxSecurity;
import dev.mtls.boot.security.reactive.ReactiveAuthorizationRules;
import dev.mtls.boot.security.reactive.ReactiveMtlsSecurityExpressions;
import dev.mtls.boot.security.servlet.AuthorizationRules;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsReactiveSecurityAutoConfiguration}.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsReactiveSecurityAutoConfigurationTests {

	private static final AutoConfigurations HEALTH_OVER_HTTP = AutoConfigurations.of(EndpointAutoConfiguration.class,
			WebEndpointAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
			HealthEndpointAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsReactiveSecurityAutoConfiguration.class,
				ReactiveWebSecurityAutoConfiguration.class, ReactiveUserDetailsServiceAutoConfiguration.class));

	@Test
	void filterChainWhenNoUserChainThenMtlsChainRegistered() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SecurityWebFilterChain.class).hasBean("mtlsSecurityWebFilterChain");
			List<WebFilter> filters = context.getBean(SecurityWebFilterChain.class)
				.getWebFilters()
				.collectList()
				.block();
			assertThat(filters)
				.anyMatch((filter) -> filter.getClass().getSimpleName().equals("CertificateAccessWebFilter"));
			// The filter decides: no authorization filter reads the authentication
			// back. Denials from method security are translated to 401 and 403.
			assertThat(filterNames(context)).doesNotContain("AuthorizationWebFilter")
				.containsOnlyOnce("ExceptionTranslationWebFilter");
		});
	}

	@Test
	void filterChainWhenCsrfPropertyThenCsrfCheckedOnlyThen() {
		this.contextRunner.run((context) -> assertThat(filterNames(context)).doesNotContain("CsrfWebFilter"));
		this.contextRunner.withPropertyValues("mtls.authorization.csrf=true")
			.run((context) -> assertThat(filterNames(context)).contains("CsrfWebFilter"));
	}

	@Test
	void beansWhenReactiveWebApplicationThenAuthenticationRulesAndSpelBeanRegistered() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CertificateAuthenticator.class)
				.hasSingleBean(AuthorizationRuleSet.class)
				.hasSingleBean(ReactiveAuthorizationRules.class)
				.hasSingleBean(MtlsWebFluxSecurity.class)
				.doesNotHaveBean(AuthorizationRules.class);
			assertThat(context.getBean("mtls")).isInstanceOf(ReactiveMtlsSecurityExpressions.class);
		});
	}

	@Test
	void userDetailsWhenDefaultChainThenNoInMemoryUserNorGeneratedPassword(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ReactiveUserDetailsService.class)
				.hasSingleBean(CertificateReactiveAuthenticationManager.class);
			assertThat(output).doesNotContain("Using generated security password");
		});
	}

	@Test
	void filterChainWhenManagementSecurityPresentThenMtlsChainOnly() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(ReactiveManagementWebSecurityAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(SecurityWebFilterChain.class)
				.hasBean("mtlsSecurityWebFilterChain"));
	}

	@Test
	void filterChainWhenUserDeclaresOneThenBacksOffAndOneLinerStays() {
		this.contextRunner.withUserConfiguration(UserChain.class).run((context) -> {
			assertThat(context).hasSingleBean(SecurityWebFilterChain.class).hasBean("userChain");
			assertThat(context).doesNotHaveBean(CertificateReactiveAuthenticationManager.class)
				.hasSingleBean(MtlsWebFluxSecurity.class);
		});
	}

	@Test
	void filterChainWhenMtlsDisabledThenBacksOff() {
		this.contextRunner.withPropertyValues("mtls.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mtlsSecurityWebFilterChain")
				.doesNotHaveBean(CertificateAuthenticator.class));
	}

	@Test
	void startupWhenRuleValueBrokenThenFailureNamesProperty() {
		this.contextRunner
			.withPropertyValues("mtls.authorization.rules[0].paths=/a", "mtls.authorization.rules[0].allow=*",
					"mtls.authorization.rules[1].paths=/b", "mtls.authorization.rules[1].methods=FETCH",
					"mtls.authorization.rules[1].allow=*")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(MtlsConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("mtls.authorization.rules[1].methods[0]")));
	}

	@Test
	void startupWhenOwnAuthenticationOnlyMtlsBeanAndNoChainThenFailureSaysSo() {
		this.contextRunner.withUserConfiguration(AuthenticationOnlyMtls.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(MtlsConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("mtls.authorization");
					assertThat(ex.getProblem()).contains("applies authentication only");
					assertThat(ex.getAction()).contains("mtls.authenticationOnly().applyTo(http)");
				}));
	}

	@Test
	void filterChainWhenClientAuthNoneThenWarned(CapturedOutput output) {
		this.contextRunner.withPropertyValues("mtls.server.client-auth=none").run((context) -> {
			assertThat(context).hasBean("mtlsSecurityWebFilterChain");
			assertThat(output.toString().lines().filter((line) -> line.contains("mtls.server.client-auth=none")))
				.hasSize(1);
		});
	}

	@Test
	void startWhenWebFluxWithoutSpringSecurityThenSecurityBacksOff(TestCertificateAuthority ca) {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MtlsAutoConfiguration.class,
					MtlsActuatorAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues(ca.writeServiceProperties())
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("mtlsTlsMaterial")
				.doesNotHaveBean("mtlsSecurityWebFilterChain")
				.doesNotHaveBean("certificateAuthenticator"));
	}

	@Test
	void startWhenSpringSecurityWithoutActuatorThenChainWithoutHealthExemption(TestCertificateAuthority ca) {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MtlsAutoConfiguration.class))
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.withPropertyValues(ca.writeServiceProperties())
			.run((context) -> assertThat(context).hasNotFailed().hasBean("mtlsSecurityWebFilterChain"));
	}

	@Test
	void startWhenServletApplicationWithBothStacksThenServletSecurityApplies() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MtlsReactiveSecurityAutoConfiguration.class,
					ReactiveWebSecurityAutoConfiguration.class, MtlsSecurityAutoConfiguration.class,
					ServletWebSecurityAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasBean("mtlsSecurityFilterChain")
					.hasSingleBean(SecurityFilterChain.class)
					.doesNotHaveBean(SecurityWebFilterChain.class)
					.doesNotHaveBean(ReactiveAuthorizationRules.class)
					.doesNotHaveBean(MtlsWebFluxSecurity.class);
				assertThat(context.getBean("mtls")).isNotInstanceOf(ReactiveMtlsSecurityExpressions.class);
			});
	}

	@Test
	void startupWhenRuleInsideHealthThenFailureNamesPattern() {
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("mtls.authorization.rules[0].paths=/actuator/health/liveness",
					"mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOfSatisfying(MtlsConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("mtls.authorization.rules[0].paths[0]");
					assertThat(ex.getProblem()).contains("path /actuator/health is let through")
						.contains("would never apply");
				}));
	}

	@Test
	void startupWhenRuleInsideHealthWithOwnChainOrAmongOtherPathsThenStarts() {
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withUserConfiguration(UserChain.class)
			.withPropertyValues("mtls.authorization.rules[0].paths=/actuator/health/**",
					"mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mtlsHealthRuleCheck"));
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("mtls.authorization.rules[0].paths=/actuator/**",
					"mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasNotFailed().hasBean("mtlsHealthRuleCheck"));
	}

	private static List<String> filterNames(ApplicationContext context) {
		return context.getBean(SecurityWebFilterChain.class)
			.getWebFilters()
			.map((filter) -> filter.getClass().getSimpleName())
			.collectList()
			.block();
	}

	@Configuration(proxyBeanMethods = false)
	static class AuthenticationOnlyMtls {

		@Bean
		MtlsWebFluxSecurity mtlsWebFluxSecurity(CertificateAuthenticator authenticator) {
			return new MtlsWebFluxSecurity(new CertificateReactiveAuthenticationManager(authenticator), null, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserChain {

		@Bean
		SecurityWebFilterChain userChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
		}

	}

}
