package dev.mtls.boot.autoconfigure.http.client;

import dev.mtls.boot.http.client.NoHostnameVerificationSslBundle;
import java.nio.file.Path;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.testsupport.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsClientAutoConfiguration}.
 */
class MtlsClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class,
					MtlsClientAutoConfiguration.class, HttpClientAutoConfiguration.class));

	@TempDir
	Path directory;

	TestPki pki;

	@BeforeEach
	void mint() {
		this.pki = new TestPki(this.directory);
	}

	@Test
	void settingsWhenDefaultThenMtlsBundle() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("spring.http.clients.connect-timeout=3s"))
			.run((context) -> {
				HttpClientSettings settings = context.getBean(HttpClientSettings.class);

				assertThat(settings.sslBundle()).isSameAs(context.getBean(SslBundles.class).getBundle("mtls"));
				assertThat(settings.connectTimeout()).hasSeconds(3);
				// Only the one that lets Apache HttpClient reuse connections made with a client certificate.
				assertThat(context).getBeanNames(ClientHttpRequestFactoryBuilderCustomizer.class)
					.containsExactly("mtlsHttpComponentsConnectionReuseCustomizer");
			});
	}

	@Test
	void settingsWhenSpringBundleNamedThenItWins() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("spring.http.clients.ssl.bundle=other",
				"spring.ssl.bundle.pem.other.truststore.certificate=" + this.pki.location("ca.crt")))
			.run((context) -> assertThat(context.getBean(HttpClientSettings.class).sslBundle())
				.isSameAs(context.getBean(SslBundles.class).getBundle("other")));
	}

	@Test
	void settingsWhenHostnameVerificationOffThenRelaxedBundleAndApacheCustomizer() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.client.hostname-verification=false"))
			.run((context) -> {
				assertThat(NoHostnameVerificationSslBundle.isRelaxed(context.getBean(HttpClientSettings.class).sslBundle()))
					.isTrue();
				assertThat(context).hasBean("mtlsHttpComponentsHostnameVerificationCustomizer");
			});
	}

	@Test
	void settingsWhenClientDisabledThenBootDefaults() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.client.enabled=false"))
			.run((context) -> assertThat(context.getBean(HttpClientSettings.class).sslBundle()).isNull());
	}

	@Test
	void settingsWhenUserDefinesThemThenBacksOff() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties())
			.withBean(HttpClientSettings.class, HttpClientSettings::defaults)
			.run((context) -> assertThat(context.getBean(HttpClientSettings.class).sslBundle()).isNull());
	}

}
