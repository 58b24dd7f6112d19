package dev.mtls.boot.monitor;

import java.util.Locale;

/**
 * What became of a request that came with a forwarding header for a client certificate,
 * or from a trusted proxy.
 *
 * @since 0.1.0
 */
public enum ForwardedOutcome {

	/**
	 * A trusted proxy forwarded a certificate chain, which the request is authenticated
	 * by, if it is valid.
	 */
	FORWARDED,

	/**
	 * A trusted proxy attested a certificate without forwarding it, and its verification
	 * is trusted ({@code mtls.forwarded.trust-proxy-verification}): the request is
	 * authenticated by what it said.
	 */
	ATTESTED,

	/**
	 * A trusted proxy forwarded no certificate: the request is not authenticated.
	 */
	NO_CERTIFICATE,

	/**
	 * A peer that is not a trusted proxy sent a forwarding header: removed, and the
	 * request handled as a direct one.
	 */
	UNTRUSTED_SOURCE,

	/**
	 * A trusted proxy forwarded a chain that is refused (untrusted, revoked, expired,
	 * against the policy): the request is not authenticated.
	 */
	REFUSED,

	/**
	 * A trusted proxy's forwarding header did not hold a certificate in its format: the
	 * request was answered 400.
	 */
	MALFORMED;

	private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/**
	 * Return the outcome as metrics tags name it, such as {@code untrusted-source}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
