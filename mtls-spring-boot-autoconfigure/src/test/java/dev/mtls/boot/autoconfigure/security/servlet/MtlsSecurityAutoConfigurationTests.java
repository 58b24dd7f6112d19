package dev.mtls.boot.autoconfigure.security.servlet;

import java.io.IOException;

import dev.mtls.boot.security.CertificateAuthenticationProvider;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
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

	@Configuration(proxyBeanMethods = false)
	static class UserChain {

		@Bean
		SecurityFilterChain userChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
