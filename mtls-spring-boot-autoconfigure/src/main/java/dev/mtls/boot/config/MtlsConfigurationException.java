package dev.mtls.boot.config;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when an {@code mtls.*} property holds a value the starter cannot
 * use. Carries the property, the problem and what to do, for
 * {@link MtlsConfigurationFailureAnalyzer}.
 *
 * @since 0.1.0
 */
public class MtlsConfigurationException extends RuntimeException {

	// A location names a scheme, starts like a path, or is a relative file name with a
	// certificate or key extension; base64 or PEM key material does none of these.
	private static final Pattern LOCATION = Pattern.compile(
			"(?:(?:file|classpath\\*?|https?):|/|\\.{1,2}/|~/)[^\\s]{0,1024}|[\\w./-]{1,512}\\.(?:crt|cer|pem|key|p12|pfx|jks)");

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
	 * Return a location value as it is, or a placeholder for anything else (inline PEM,
	 * base64 text), which may be key material.
	 * @param value a property value
	 * @return the value, or a placeholder
	 */
	public static String displayValue(String value) {
		return LOCATION.matcher(value).matches() ? value : "<inline value, %d characters>".formatted(value.length());
	}

}
