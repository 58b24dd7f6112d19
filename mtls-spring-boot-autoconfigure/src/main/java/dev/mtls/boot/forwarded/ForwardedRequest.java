package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.mtls.boot.identity.AttestedCertificate;
import org.jspecify.annotations.Nullable;

/**
 * What a web filter does with one request: pass it on as it is, remove the forwarding
 * headers an untrusted peer sent, replace the peer's certificate by the forwarded one (or
 * by none), or answer 400.
 *
 * @param kind what to do
 * @param chain the forwarded chain, leaf first, for {@link Kind#FORWARDED}; empty
 * otherwise
 * @param proxy the trusted proxy, for every kind but {@link Kind#DIRECT} and
 * {@link Kind#UNTRUSTED_SOURCE}
 * @param problem why the header is malformed or the chain refused, one line
 * @param attested what the proxy attested of a certificate it did not forward, for
 * {@link Kind#ATTESTED}; {@code null} otherwise
 * @since 0.1.0
 */
public record ForwardedRequest(Kind kind, List<X509Certificate> chain, @Nullable ForwardingProxy proxy,
		@Nullable String problem, @Nullable AttestedCertificate attested) {

	/**
	 * The request (or exchange) attribute holding the leaf certificate a trusted proxy
	 * forwarded, for a {@link Kind#FORWARDED} request: authentication checks that chain
	 * again against the forwarded trust, not the handshake's.
	 */
	public static final String FORWARDED_CERTIFICATE_ATTRIBUTE = ForwardedRequest.class.getName()
			+ ".forwardedCertificate";

	static final ForwardedRequest DIRECT = new ForwardedRequest(Kind.DIRECT, List.of(), null, null);

	static final ForwardedRequest UNTRUSTED_SOURCE = new ForwardedRequest(Kind.UNTRUSTED_SOURCE, List.of(), null, null);

	/**
	 * Create a decision about a request that attests no certificate.
	 * @param kind what to do
	 * @param chain the forwarded chain, leaf first, for {@link Kind#FORWARDED}
	 * @param proxy the trusted proxy, for every kind but {@link Kind#DIRECT} and
	 * {@link Kind#UNTRUSTED_SOURCE}
	 * @param problem why the header is malformed or the chain refused, one line
	 */
	public ForwardedRequest(Kind kind, List<X509Certificate> chain, @Nullable ForwardingProxy proxy,
			@Nullable String problem) {
		this(kind, chain, proxy, problem, null);
	}

	/**
	 * What a web filter does with a request.
	 */
	public enum Kind {

		/**
		 * Not from a trusted proxy and without forwarding headers: as it is.
		 */
		DIRECT,

		/**
		 * Not from a trusted proxy, with forwarding headers: without them, otherwise as
		 * it is.
		 */
		UNTRUSTED_SOURCE,

		/**
		 * From a trusted proxy, with a forwarded chain: the chain is the request's client
		 * certificate chain.
		 */
		FORWARDED,

		/**
		 * From a trusted proxy whose verification is trusted, with what it attests of a
		 * certificate it did not forward: that is the request's client, and the request
		 * has no client certificate chain.
		 */
		ATTESTED,

		/**
		 * From a trusted proxy, without a forwarded certificate: the request has no
		 * client certificate (not the proxy's).
		 */
		NO_CERTIFICATE,

		/**
		 * From a trusted proxy, without a forwarded certificate, where the proxy's own
		 * certificate is to authenticate the request (opted in): as it is.
		 */
		PROXY,

		/**
		 * From a trusted proxy, with a forwarded chain that is refused (untrusted,
		 * revoked, expired, against the policy): the request has no client certificate.
		 */
		REFUSED,

		/**
		 * From a trusted proxy, with a header that does not parse: answered 400.
		 */
		MALFORMED

	}

}
