package dev.mtls.boot.autoconfigure.security.servlet;

import java.io.IOException;
import java.nio.file.Path;

import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.security.CertificateAuthenticationProvider;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
	void requestWhenAuthenticatedThenNoSessionCreated(@TempDir Path directory) throws IOException {
		TestPki pki = new TestPki(directory);
		try (TestService service = TestService.start(pki.serviceProperties())) {
			String response = TestPki.get(pki.clientContext(pki.alice()), service.port(), "/whoami");

			assertThat(response).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Set-Cookie");
		}
	}

	@Test
	void requestWhenCertificateHasNoCommonNameThenUnauthorized(@TempDir Path directory) throws IOException {
		TestPki pki = new TestPki(directory);
		IssuedCertificate nameless = pki.ca()
			.certificate("unused")
			.withoutCommonName()
			.organization("Acme")
			.uris("spiffe://acme.org/ns/shop/sa/checkout")
			.clientAuth()
			.issue();
		try (TestService service = TestService.start(pki.serviceProperties())) {
			String response = TestPki.get(pki.clientContext(nameless), service.port(), "/whoami");

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
