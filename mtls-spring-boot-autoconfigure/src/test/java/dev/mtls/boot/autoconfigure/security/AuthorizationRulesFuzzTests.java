package dev.mtls.boot.autoconfigure.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.monitor.MtlsListener;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code mtls.authorization} rules from hostile configuration, bound the way Boot
 * binds {@code @ConfigurationProperties} and turned into the rule set. The input is a
 * properties file of keys below {@code mtls.authorization}. The contract: a rule set, a
 * {@link BindException} under {@code mtls.authorization} (Boot's own failure analysis
 * names the property, or the list elements left unbound), or
 * {@link MtlsConfigurationException} naming the property; nothing else. The seeds (in
 * {@code AuthorizationRulesFuzzTestsInputs}) are the README's rules.
 */
class AuthorizationRulesFuzzTests {

	@FuzzTest(maxDuration = "10s")
	void bindAndBuild(byte[] input) {
		Properties properties = new Properties();
		try {
			properties.load(new StringReader(new String(input, StandardCharsets.UTF_8)));
		}
		catch (IOException | IllegalArgumentException ex) {
			// Not a properties file (e.g. a malformed \\uXXXX escape).
			return;
		}
		Map<String, Object> map = new LinkedHashMap<>();
		properties.forEach((key, value) -> map.put("mtls.authorization." + key, value));
		Binder binder = new Binder(ConfigurationPropertySources.from(new MapPropertySource("fuzz", map)));
		MtlsAuthorizationProperties authorization;
		try {
			authorization = binder.bind("mtls.authorization", MtlsAuthorizationProperties.class)
				.orElseGet(MtlsAuthorizationProperties::new);
		}
		catch (BindException ex) {
			// Boot's failure analysis names the property, or the elements left unbound.
			assertThat(ex.getName().toString()).startsWith("mtls.authorization");
			return;
		}
		try {
			assertThat(MtlsSecurityPropertiesMapper.authorizationRules(authorization, MtlsListener.NONE)).isNotNull();
		}
		catch (MtlsConfigurationException ex) {
			assertThat(ex.getProperty()).startsWith("mtls.authorization.");
		}
	}

}
