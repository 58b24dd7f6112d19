package dev.mtls.boot.identity;

import java.util.Objects;

/**
 * Thrown when a certificate lacks the attribute chosen to name its holder, so it cannot
 * be an identity.
 *
 * @since 0.1.0
 */
public class MissingIdentityAttributeException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public MissingIdentityAttributeException(String subject, String reason) {
		super("Client certificate '%s' cannot name a principal: it has %s".formatted(CertificateText.escape(subject),
				reason));
	}

	@Override
	public String getMessage() {
		// Never null: every constructor passes one.
		return Objects.requireNonNull(super.getMessage());
	}

}
