package dev.mtls.boot.monitor;

import java.util.Locale;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;

/**
 * Why a request was not authenticated, when the reason is not its certificate chain (for
 * that, see {@link Reason}).
 *
 * @since 0.1.0
 */
public enum AuthenticationFailure {

	/**
	 * The request came without a client certificate and a rule needs one.
	 */
	NO_CERTIFICATE,

	/**
	 * The certificate lacks the attribute that {@code mtls.principal.name} names.
	 */
	MISSING_ATTRIBUTE,

	/**
	 * The certificate is a CA certificate, which cannot be a client.
	 */
	CA_CERTIFICATE;

	private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/**
	 * Return the failure as metrics tags and listeners name it, such as
	 * {@code no-certificate}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
