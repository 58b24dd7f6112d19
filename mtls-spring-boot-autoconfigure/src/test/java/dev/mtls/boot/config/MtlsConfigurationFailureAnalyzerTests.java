package dev.mtls.boot.config;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsConfigurationFailureAnalyzer}, on exceptions it is given.
 */
class MtlsConfigurationFailureAnalyzerTests {

	private final MtlsConfigurationFailureAnalyzer analyzer = new MtlsConfigurationFailureAnalyzer();

	@Test
	void analyzeWhenValueShownThenDescriptionNamesPropertyValueAndReason() {
		MtlsConfigurationException ex = new MtlsConfigurationException("mtls.example[1]", "bad", "the problem",
				"The action.");

		FailureAnalysis analysis = this.analyzer.analyze(ex);

		assertThat(analysis.getDescription()).isEqualTo(
				"mTLS could not be configured: property 'mtls.example[1]' with value 'bad' is invalid.%n%nReason: the problem"
					.formatted());
		assertThat(analysis.getAction()).isEqualTo("The action.");
		assertThat(analysis.getCause()).isSameAs(ex);
	}

	@Test
	void analyzeWhenNoValueThenDescriptionNamesPropertyOnly() {
		MtlsConfigurationException ex = new MtlsConfigurationException("mtls.example.password", null, "the problem",
				"The action.");

		FailureAnalysis analysis = this.analyzer.analyze(ex);

		assertThat(analysis.getDescription()).isEqualTo(
				"mTLS could not be configured: property 'mtls.example.password' is invalid.%n%nReason: the problem"
					.formatted());
	}

	@Test
	void analyzeWhenWrappedInBeanCreationFailureThenFound() {
		MtlsConfigurationException cause = new MtlsConfigurationException("mtls.example", "bad", "the problem",
				"The action.");

		FailureAnalysis analysis = this.analyzer
			.analyze(new BeanCreationException("mtlsTlsMaterial", "Failed to instantiate", cause));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getCause()).isSameAs(cause);
		assertThat(analysis.getAction()).isEqualTo("The action.");
	}

	@Test
	void analyzeWhenOtherFailureThenNoAnalysis() {
		assertThat(this.analyzer.analyze(new IllegalStateException("something else"))).isNull();
	}

}
