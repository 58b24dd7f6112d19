package dev.mtls.boot.identity;

/**
 * Thrown when a certificate lacks the attribute chosen to name its holder.
 *
 * @since 0.1.0
 */
public class MissingIdentityAttributeException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public MissingIdentityAttributeException(String attribute, String subject) {
		super("Client certificate '%s' has no %s attribute to name its principal".formatted(subject, attribute));
	}

}
