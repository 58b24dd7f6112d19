package dev.mtls.boot.trust;

import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Objects;

import dev.mtls.boot.identity.CertificateText;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a peer's certificate chain is refused, with the reason in words and as a
 * category for logs and metrics.
 *
 * @since 0.1.0
 */
public class CertificateRejectedException extends CertificateException {

	private static final long serialVersionUID = 1L;

	private final Reason reason;

	public CertificateRejectedException(Reason reason, String message, @Nullable Throwable cause) {
		// The words quote the peer's certificate and the JDK's messages about it.
		super(CertificateText.escapeMessage(message), cause);
		this.reason = reason;
	}

	public CertificateRejectedException(Reason reason, String message) {
		this(reason, message, null);
	}

	public Reason getReason() {
		return this.reason;
	}

	@Override
	public String getMessage() {
		// Never null: every constructor passes one.
		return Objects.requireNonNull(super.getMessage());
	}

	/**
	 * Why a chain was refused.
	 */
	public enum Reason {

		/**
		 * No path to a trust anchor, or a path that breaks RFC 5280 rules.
		 */
		UNTRUSTED,

		/**
		 * A certificate in the path, or the anchor, is expired or not yet valid.
		 */
		EXPIRED,

		/**
		 * The certificates break the starter's policy (usage, key size, signature,
		 * length).
		 */
		POLICY,

		/**
		 * A certificate in the path is revoked, or its revocation status is unknown.
		 */
		REVOKED,

		/**
		 * The server certificate does not name the host called.
		 */
		NAME_MISMATCH;

		private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

		/**
		 * Return the reason as metrics tags and listeners name it, such as
		 * {@code name-mismatch}.
		 * @return the tag value
		 */
		public String tag() {
			return this.tag;
		}

	}

}
