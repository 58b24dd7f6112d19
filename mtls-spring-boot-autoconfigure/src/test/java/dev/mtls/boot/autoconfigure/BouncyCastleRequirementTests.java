package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.config.MtlsFailureAnalyses;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link BouncyCastleRequirement}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class BouncyCastleRequirementTests {

	private static final ClassLoader WITHOUT_BOUNCY_CASTLE = new FilteredClassLoader("org.bouncycastle");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void checkWhenDefaultPolicyAndNoBouncyCastleThenFailsNamingStrictStructure() {
		MtlsProperties properties = new MtlsProperties();

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> BouncyCastleRequirement.check(properties, WITHOUT_BOUNCY_CASTLE))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("mtls.policy.strict-structure");
				assertThat(ex.getAction()).contains("org.bouncycastle:bcpkix-jdk18on");
			});
	}

	@Test
	void checkWhenDevModeAndNoBouncyCastleThenFailsNamingDevMode() {
		MtlsProperties properties = new MtlsProperties();
		properties.getPolicy().setStrictStructure(false);
		properties.getDev().setEnabled(true);

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> BouncyCastleRequirement.check(properties, WITHOUT_BOUNCY_CASTLE))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("mtls.dev.enabled");
				assertThat(ex.getAction()).contains("org.bouncycastle:bcpkix-jdk18on");
			});
	}

	@Test
	void checkWhenStrictStructureOffAndDevModeOffAndNoBouncyCastleThenPasses() {
		MtlsProperties properties = new MtlsProperties();
		properties.getPolicy().setStrictStructure(false);

		assertThatNoException().isThrownBy(() -> BouncyCastleRequirement.check(properties, WITHOUT_BOUNCY_CASTLE));
	}

	@Test
	void checkWhenBouncyCastlePresentThenPasses() {
		MtlsProperties properties = new MtlsProperties();
		properties.getDev().setEnabled(true);

		assertThatNoException()
			.isThrownBy(() -> BouncyCastleRequirement.check(properties, getClass().getClassLoader()));
	}

	@Test
	void startupWhenBouncyCastleMissingThenFailsNamingStrictStructureAndDependency(TestCertificateAuthority ca) {
		this.contextRunner.withClassLoader(WITHOUT_BOUNCY_CASTLE)
			.withPropertyValues(ca.writeServiceProperties())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = MtlsFailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("mtls.policy.strict-structure").contains("BouncyCastle");
				assertThat(analysis.getAction()).contains("org.bouncycastle:bcpkix-jdk18on");
			});
	}

	@Test
	void startupWhenBouncyCastleMissingAndDevModeThenFailsNamingDevMode() {
		this.contextRunner.withClassLoader(WITHOUT_BOUNCY_CASTLE)
			.withPropertyValues("mtls.dev.enabled=true", "mtls.dev.directory=" + this.directory,
					"mtls.policy.strict-structure=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = MtlsFailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("mtls.dev.enabled").contains("BouncyCastle");
				assertThat(analysis.getAction()).contains("org.bouncycastle:bcpkix-jdk18on");
			});
	}

	@Test
	void startupWhenBouncyCastleMissingAndStrictStructureOffThenStarts(TestCertificateAuthority ca) {
		this.contextRunner.withClassLoader(WITHOUT_BOUNCY_CASTLE)
			.withPropertyValues(ca.writeServiceProperties("mtls.policy.strict-structure=false"))
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
