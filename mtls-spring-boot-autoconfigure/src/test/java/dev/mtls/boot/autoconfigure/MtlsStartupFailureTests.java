package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;

import dev.mtls.boot.testsupport.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
@ExtendWith(OutputCaptureExtension.class)
class MtlsStartupFailureTests {

	@Test
	void startupWhenClientAuthUnknownThenReportListsValidValues(@TempDir Path directory, CapturedOutput output) {
		TestPki pki = new TestPki(directory);

		assertThatException().isThrownBy(() -> run(pki.serviceProperties("mtls.server.client-auth=sometimes")));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Failed to bind properties under 'mtls.server.client-auth'")
			.contains("Value: \"sometimes\"")
			.contains("The following values are valid:")
			.contains("NEED")
			.contains("WANT")
			.contains("NONE");
	}

	@Test
	void startupWhenBundleAndIdentityThenReportNamesBoth(@TempDir Path directory, CapturedOutput output) {
		TestPki pki = new TestPki(directory);

		assertThatException().isThrownBy(() -> run(pki.serviceProperties("mtls.bundle=corp")));

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
