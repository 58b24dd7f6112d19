package dev.mtls.boot.autoconfigure;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;

import dev.mtls.boot.tls.TlsEngine;
import org.junit.jupiter.api.Test;
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

	@Test
	void propertiesWhenLoadedThenNeedNoOptionalLibrary() {
		// Bound in every application: a field of a type from an optional library (the
		// actuator's Show, once) fails start-up where that library is absent.
		Set<Class<?>> types = new HashSet<>();
		collectFieldTypes(MtlsProperties.class, types);

		assertThat(types).extracting(Class::getName)
			.isNotEmpty()
			.noneMatch((name) -> name.startsWith("org.springframework.boot.actuate")
					|| name.startsWith("org.springframework.boot.health") || name.startsWith("io.micrometer")
					|| name.startsWith("io.spiffe") || name.startsWith("io.grpc") || name.startsWith("org.conscrypt")
					|| name.startsWith("org.springframework.security"));
	}

	private static void collectFieldTypes(Class<?> type, Set<Class<?>> types) {
		for (Field field : type.getDeclaredFields()) {
			Class<?> fieldType = field.getType();
			if (types.add(fieldType) && fieldType.getName().startsWith("dev.mtls.boot")) {
				collectFieldTypes(fieldType, types);
			}
		}
		for (Class<?> nested : type.getDeclaredClasses()) {
			if (types.add(nested)) {
				collectFieldTypes(nested, types);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(MtlsProperties.class)
	static class PropertiesConfiguration {

	}

}
