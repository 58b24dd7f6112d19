package dev.mtls.boot.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link MtlsConfigurationException}: which property, what is wrong, what to
 * set.
 */
class MtlsConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MtlsConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MtlsConfigurationException cause) {
		String value = (cause.getValue() != null) ? " with value '%s'".formatted(cause.getValue()) : "";
		String description = "mTLS could not be configured: property '%s'%s is invalid.%n%nReason: %s"
			.formatted(cause.getProperty(), value, cause.getProblem());
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
