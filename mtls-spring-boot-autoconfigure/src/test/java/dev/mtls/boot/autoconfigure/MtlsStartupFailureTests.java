package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What a user sees when a real application fails to start on bad {@code mtls.*}
 * properties: Spring Boot's failure analysis report.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsStartupFailureTests {

	@Test
	void startupWhenClientAuthUnknownThenReportListsValidValues(TestCertificateAuthority ca, CapturedOutput output) {
		String[] properties = ca.writeServiceProperties("mtls.server.client-auth=sometimes");

		assertThatException().isThrownBy(() -> run(properties));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Failed to bind properties under 'mtls.server.client-auth'")
			.contains("Value: \"sometimes\"")
			.contains("The following values are valid:")
			.contains("NEED")
			.contains("WANT")
			.contains("NONE");
	}

	@Test
	void startupWhenBundleAndIdentityThenReportNamesBoth(TestCertificateAuthority ca, CapturedOutput output) {
		String[] properties = ca.writeServiceProperties("mtls.bundle=corp");

		assertThatException().isThrownBy(() -> run(properties));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The following configuration properties are mutually exclusive:")
			.contains("mtls.bundle")
			.contains("mtls.identity.certificate")
			.contains("Update your configuration so that only one of the mutually exclusive properties is configured.");
	}

	@Test
	void startupWhenNoIdentityThenReportFromMtlsAnalyzer(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run());

		// The analyzer is registered: its description and action make the report (their
		// text is
		// tested in TlsMaterialSourceMapperTests).
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("mTLS could not be configured: property 'mtls.identity.certificate' is invalid.")
			.contains("Action:");
	}

	private static void run(String... properties) {
		new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run().close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
