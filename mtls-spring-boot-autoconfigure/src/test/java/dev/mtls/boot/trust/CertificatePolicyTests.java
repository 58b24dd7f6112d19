package dev.mtls.boot.trust;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link CertificatePolicy}.
 */
class CertificatePolicyTests {

	private final ClassLoader withoutBouncyCastle = new FilteredClassLoader("org.bouncycastle");

	@Test
	void requireSupportWhenStrictStructureAndNoBouncyCastleThenFailsNamingPropertyAndDependency() {
		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> CertificatePolicy.DEFAULT.requireSupport(this.withoutBouncyCastle))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("mtls.policy.strict-structure");
				assertThat(ex.getProblem()).contains("BouncyCastle");
				assertThat(ex.getAction()).contains("org.bouncycastle:bcpkix-jdk18on")
					.contains("mtls.policy.strict-structure=false");
			});
	}

	@Test
	void requireSupportWhenStrictStructureOffAndNoBouncyCastleThenPasses() {
		CertificatePolicy policy = new CertificatePolicy(true, 2048, 256, false, 5, true, false);

		assertThatNoException().isThrownBy(() -> policy.requireSupport(this.withoutBouncyCastle));
	}

	@Test
	void requireSupportWhenBouncyCastlePresentThenPasses() {
		assertThatNoException().isThrownBy(() -> CertificatePolicy.DEFAULT.requireSupport(getClass().getClassLoader()));
	}

	@Test
	void withMaxChainLengthWhenCalledThenOnlyLengthChanges() {
		CertificatePolicy policy = CertificatePolicy.DEFAULT.withMaxChainLength(9);

		assertThat(policy).isEqualTo(new CertificatePolicy(true, 2048, 256, false, 9, true, true));
	}

}
