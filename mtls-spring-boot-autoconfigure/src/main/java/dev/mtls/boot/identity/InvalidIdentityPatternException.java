package dev.mtls.boot.identity;

/**
 * Thrown when a string is not a valid identity pattern.
 *
 * @since 0.1.0
 */
public class InvalidIdentityPatternException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String pattern;

	private final String reason;

	public InvalidIdentityPatternException(String pattern, String reason) {
		super("Invalid identity pattern '%s': %s".formatted(pattern, reason));
		this.pattern = pattern;
		this.reason = reason;
	}

	public String getPattern() {
		return this.pattern;
	}

	public String getReason() {
		return this.reason;
	}

}
