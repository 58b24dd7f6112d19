package dev.mtls.boot.config;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Test access to the package-private {@link MtlsConfigurationFailureAnalyzer}.
 */
public final class MtlsFailureAnalyses {

	private MtlsFailureAnalyses() {
	}

	public static @Nullable FailureAnalysis analyze(Throwable failure) {
		return new MtlsConfigurationFailureAnalyzer().analyze(failure);
	}

}
