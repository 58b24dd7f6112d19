package dev.mtls.boot.security;

/**
 * What requests that no authorization rule matches get
 * ({@code mtls.authorization.default}).
 *
 * @since 0.1.0
 */
public enum DefaultAccess {

	/**
	 * Any caller with a trusted certificate.
	 */
	AUTHENTICATED,

	/**
	 * Nobody.
	 */
	DENY,

	/**
	 * Everybody, with or without a certificate.
	 */
	PERMIT

}
