package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.tls.TlsEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsProperties}: binding into the feature types it holds.
 */
class MtlsPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@ParameterizedTest
	@ValueSource(strings = { "mtls.authorization.rulez", "mtls.authorization.rules[0].alow", "mtls.server.enigne",
			"mtls.principal.nmae", "mtls.health.expiry-warnign", "mtls.revocation.oscp", "mtls.identty.certificate" })
	void bindingWhenKeyMisspelledThenStartupFails(String key) {
		this.contextRunner.withPropertyValues(key + "=x")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(UnboundConfigurationPropertiesException.class,
						(ex) -> assertThat(ex.getUnboundProperties())
							.anySatisfy((property) -> assertThat(property.getName()).hasToString(key))));
	}

	@ParameterizedTest
	@CsvSource({ "jdk, JDK", "conscrypt, CONSCRYPT", "CONSCRYPT, CONSCRYPT" })
	void bindingWhenEngineSetThenTlsEngine(String value, TlsEngine engine) {
		this.contextRunner.withPropertyValues("mtls.server.engine=" + value)
			.run((context) -> assertThat(context.getBean(MtlsProperties.class).getServer().getEngine())
				.isEqualTo(engine));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(MtlsProperties.class)
	static class PropertiesConfiguration {

	}

}
