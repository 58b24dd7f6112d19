package dev.mtls.boot.autoconfigure.security.servlet;

import java.io.IOException;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.security.CertificateAuthenticationProvider;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsSecurityAutoConfiguration}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsSecurityAutoConfigurationTests {

	private static final AutoConfigurations HEALTH_OVER_HTTP = AutoConfigurations.of(EndpointAutoConfiguration.class,
			WebEndpointAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
			HealthEndpointAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MtlsSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	@Test
	void filterChainWhenNoUserChainThenMtlsChainRegistered() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SecurityFilterChain.class).hasBean("mtlsSecurityFilterChain");
			assertThat(context.getBean(SecurityFilterChain.class).getFilters())
				.anyMatch((filter) -> filter.getClass().getSimpleName().equals("CertificateChainAuthenticationFilter"));
		});
	}

	@Test
	void observationSettingsWhenObservationRegistryPresentThenLeftToSpringBoot() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationRegistry.class);
				assertThat(context).doesNotHaveBean(SecurityObservationSettings.class);
			});
	}

	@Test
	void filterChainWhenUserDeclaresOneThenBacksOff() {
		this.contextRunner.withUserConfiguration(UserChain.class).run((context) -> {
			assertThat(context).hasSingleBean(SecurityFilterChain.class).hasBean("userChain");
			assertThat(context).doesNotHaveBean(CertificateAuthenticationProvider.class);
		});
	}

	@Test
	void filterChainWhenSpringSecurityAbsentThenBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(context).doesNotHaveBean("mtlsSecurityFilterChain"));
	}

	@Test
	void filterChainWhenMtlsDisabledThenBacksOff() {
		this.contextRunner.withPropertyValues("mtls.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mtlsSecurityFilterChain"));
	}

	@Test
	void requestWhenAuthenticatedThenNoSessionCreated(TestCertificateAuthority ca) throws IOException {
		TestCertificate alice = ca.client("alice");
		try (TestService service = TestService.start(ca.writeServiceProperties())) {
			String response = TlsProbe.get(alice.sslBundle().createSslContext(), service.port(), "/whoami");

			assertThat(response).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Set-Cookie");
		}
	}

	@Test
	void requestWhenCertificateHasNoCommonNameThenUnauthorized(TestCertificateAuthority ca) throws IOException {
		TestCertificate nameless = ca
			.client((spec) -> spec.subject("O=Acme").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
		try (TestService service = TestService.start(ca.writeServiceProperties())) {
			String response = TlsProbe.get(nameless.sslBundle().createSslContext(), service.port(), "/whoami");

			assertThat(response).startsWith("HTTP/1.1 401");
		}
	}

	@Test
	void startupWhenRuleInsideHealthThenFailureNamesPattern() {
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("mtls.authorization.rules[0].paths=/orders/**,/actuator/health/**",
					"mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOfSatisfying(MtlsConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("mtls.authorization.rules[0].paths[1]");
					assertThat(ex.getProblem()).contains("path /actuator/health is let through")
						.contains("would never apply");
					assertThat(ex.getAction()).contains("mtls.management.client-auth=need");
				}));
	}

	@Test
	void startupWhenRuleCoversHealthAmongOtherPathsOrPermitsAllThenStarts() {
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("mtls.authorization.rules[0].paths=/actuator/**",
					"mtls.authorization.rules[0].allow=cn:ops", "mtls.authorization.rules[1].paths=/actuator/health",
					"mtls.authorization.rules[1].permit-all=true",
					"mtls.authorization.rules[2].paths=/actuator/healthz", "mtls.authorization.rules[2].allow=cn:ops")
			.run((context) -> assertThat(context).hasNotFailed().hasBean("mtlsHealthRuleCheck"));
	}

	@Test
	void startupWhenHealthMovedThenRuleInsideItsNewPathFails() {
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("management.endpoints.web.base-path=/manage",
					"management.endpoints.web.path-mapping.health=status",
					"mtls.authorization.rules[0].paths=/actuator/health", "mtls.authorization.rules[0].allow=cn:ops",
					"mtls.authorization.rules[1].paths=/manage/status", "mtls.authorization.rules[1].allow=cn:ops")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOfSatisfying(MtlsConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("mtls.authorization.rules[1].paths[0]")));
	}

	@Test
	void startupWhenRuleOnProbeGroupsAdditionalPathThenFailureNamesPattern() {
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("management.endpoint.health.group.live.include=*",
					"management.endpoint.health.group.live.additional-path=server:/livez",
					"mtls.authorization.rules[0].paths=/livez", "mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOfSatisfying(MtlsConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("mtls.authorization.rules[0].paths[0]")));
	}

	@Test
	void startupWhenManagementPortDisabledThenOnlyMainServersAdditionalPathsChecked() {
		String[] probe = { "management.server.port=-1", "management.endpoint.health.group.live.include=*",
				"management.endpoint.health.group.live.additional-path=server:/livez" };
		// Actuator serves nothing over HTTP then, but the main server still serves
		// /livez.
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues(probe)
			.withPropertyValues("mtls.authorization.rules[0].paths=/actuator/health/**",
					"mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues(probe)
			.withPropertyValues("mtls.authorization.rules[0].paths=/livez", "mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(MtlsConfigurationException.class));
	}

	@Test
	void startupWhenManagementAdditionalPathOnSamePortThenRuleForThatPathStarts() {
		// A management: path is served only by a separate management server.
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues("management.endpoint.health.group.live.include=*",
					"management.endpoint.health.group.live.additional-path=management:/livez",
					"mtls.authorization.rules[0].paths=/livez", "mtls.authorization.rules[0].allow=cn:ops")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenRuleInsideHealthWithOwnChainOrHealthNotExposedThenStarts() {
		String[] rule = { "mtls.authorization.rules[0].paths=/actuator/health/**",
				"mtls.authorization.rules[0].allow=cn:ops" };
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withUserConfiguration(UserChain.class)
			.withPropertyValues(rule)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mtlsHealthRuleCheck"));
		this.contextRunner.withConfiguration(HEALTH_OVER_HTTP)
			.withPropertyValues(rule)
			.withPropertyValues("management.endpoints.web.exposure.exclude=health")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserChain {

		@Bean
		SecurityFilterChain userChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
