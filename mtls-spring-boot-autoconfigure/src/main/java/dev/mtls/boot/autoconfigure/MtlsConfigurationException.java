package dev.mtls.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when an {@code mtls.*} property holds a value the starter cannot
 * use. Carries the property, the problem and what to do, for
 * {@link MtlsConfigurationFailureAnalyzer}.
 *
 * @since 0.1.0
 */
public class MtlsConfigurationException extends RuntimeException {

	private final String property;

	private final @Nullable String value;

	private final String problem;

	private final String action;

	/**
	 * Create a new exception.
	 * @param property the full name of the offending property
	 * @param value the value to show, or {@code null} for secrets or absent values
	 * @param problem what is wrong with the value
	 * @param action what the user should set instead
	 * @param cause the underlying failure, if any
	 */
	public MtlsConfigurationException(String property, @Nullable String value, String problem, String action,
			@Nullable Throwable cause) {
		super(message(property, value, problem), cause);
		this.property = property;
		this.value = value;
		this.problem = problem;
		this.action = action;
	}

	public MtlsConfigurationException(String property, @Nullable String value, String problem, String action) {
		this(property, value, problem, action, null);
	}

	private static String message(String property, @Nullable String value, String problem) {
		return (value != null) ? "Invalid mTLS configuration '%s' = '%s': %s".formatted(property, value, problem)
				: "Invalid mTLS configuration '%s': %s".formatted(property, problem);
	}

	public String getProperty() {
		return this.property;
	}

	public @Nullable String getValue() {
		return this.value;
	}

	public String getProblem() {
		return this.problem;
	}

	public String getAction() {
		return this.action;
	}

	/**
	 * Shorten a location or inline PEM value for display.
	 * @param value a property value
	 * @return the value, or a placeholder for inline PEM text
	 */
	static String displayValue(String value) {
		return value.contains("-----BEGIN") ? "<inline PEM>" : value;
	}

}
