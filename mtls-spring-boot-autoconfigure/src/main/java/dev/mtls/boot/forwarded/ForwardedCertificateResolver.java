package dev.mtls.boot.forwarded;

import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.mtls.boot.forwarded.ForwardedCertificateReader.ForwardedChain;
import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.identity.CertificateFingerprint;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.identity.MissingIdentityAttributeException;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.ForwardedOutcome;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.OnceLog;
import dev.mtls.boot.security.ClientChainVerifier;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ConcurrentLruCache;

/**
 * Decides, for each request, whose client certificate it carries: the direct peer's, or
 * the one a trusted proxy forwarded in a header. Headers from any other peer are to be
 * removed and never name anyone. A forwarded chain is validated like a direct one (trust,
 * policy, revocation, validity, client usage) against the current material; what a header
 * holds is read once per header value, and the verdict is cached by the validator, so a
 * certificate seen before costs two map lookups.
 *
 * @since 0.1.0
 */
public final class ForwardedCertificateResolver {

	/**
	 * The farthest XFCC element a resolver can read: as many as a header may hold.
	 */
	public static final int MAX_HOP = XfccReader.MAX_ELEMENTS;

	private static final Log logger = LogFactory.getLog(ForwardedCertificateResolver.class);

	private static final int CACHE_SIZE = 1024;

	/**
	 * The longest header values whose reading is cached: a typical chain is a few
	 * kilobytes, and the cache must stay small whatever a proxy sends.
	 */
	private static final int MAX_CACHED_CHARACTERS = 12 * 1024;

	private static final int LOGGED_PEERS = 10_000;

	private static final String FORWARDED = "Forwarded client certificate";

	private ForwardedCertificateReader reader;

	private final List<String> removedHeaders;

	private final TrustedProxies proxies;

	private final ClientChainVerifier verifier;

	private ClientChainVerifier forwardedVerifier;

	private final MtlsListener listener;

	private final ConcurrentLruCache<ProxyCertificate, CertificateIdentity> proxyIdentities = new ConcurrentLruCache<>(
			CACHE_SIZE, ForwardedCertificateResolver::identityOf);

	private Supplier<@Nullable String> localTrustDomain = () -> null;

	/**
	 * The chain read from a request's headers, or the reason they are malformed.
	 */
	private final ConcurrentLruCache<HeaderKey, Object> read;

	private final OnceLog untrustedLog = new OnceLog(logger, LOGGED_PEERS);

	private final OnceLog malformedLog = new OnceLog(logger, LOGGED_PEERS);

	private final OnceLog refusedLog = new OnceLog(logger, LOGGED_PEERS);

	private boolean authenticateProxy;

	/**
	 * Create a resolver.
	 * @param format the proxy's header format
	 * @param headers header names replacing the format's own, or none
	 * @param encoding the encoding of a {@link ForwardedCertificateFormat#HEADER} header
	 * @param hop which XFCC element to read, 1 for the nearest proxy's
	 * @param proxies the peers whose headers count
	 * @param verifier checks a proxy's own chain, and the forwarded chains unless
	 * {@link #setForwardedVerifier(ClientChainVerifier) set apart}, against the current
	 * material
	 * @param listener told of each outcome
	 */
	public ForwardedCertificateResolver(ForwardedCertificateFormat format, List<String> headers,
			@Nullable ForwardedCertificateEncoding encoding, int hop, TrustedProxies proxies,
			ClientChainVerifier verifier, MtlsListener listener) {
		if (hop < 1 || hop > MAX_HOP) {
			throw new IllegalArgumentException("The hop must be 1 to " + MAX_HOP);
		}
		if (format == ForwardedCertificateFormat.HEADER && headers.isEmpty()) {
			throw new IllegalArgumentException("The header format needs a header name");
		}
		this.reader = ForwardedCertificateReader.of(format, headers, encoding, hop);
		List<String> removed = new ArrayList<>(this.reader.headers());
		removed.addAll(format.getCompanionHeaders());
		this.removedHeaders = List.copyOf(removed);
		this.proxies = proxies;
		this.verifier = verifier;
		this.forwardedVerifier = verifier;
		this.listener = listener;
		this.read = new ConcurrentLruCache<>(CACHE_SIZE, (key) -> read(key.values()));
	}

	/**
	 * Set what checks the forwarded chains, when they chain to other CAs than the
	 * proxies' own ({@code mtls.forwarded.trust}).
	 * @param forwardedVerifier checks a forwarded chain against the current material
	 */
	public void setForwardedVerifier(ClientChainVerifier forwardedVerifier) {
		this.forwardedVerifier = forwardedVerifier;
	}

	/**
	 * Set where the workload's own SPIFFE trust domain comes from, asked for each proxy
	 * certificate, when peers are validated by trust domain
	 * ({@code mtls.spiffe.enabled}): a proxy of any other trust domain is
	 * {@linkplain CertificateIdentity#isFederated() federated}, and matches the trusted
	 * proxies' identity patterns by SPIFFE ID or fingerprint only. By default none: no
	 * proxy is federated.
	 * @param localTrustDomain supplies the local trust domain, or {@code null} without
	 * SPIFFE
	 * @since 0.1.0
	 */
	public void setLocalTrustDomain(Supplier<@Nullable String> localTrustDomain) {
		this.localTrustDomain = localTrustDomain;
		this.proxyIdentities.clear();
	}

	/**
	 * Set whether a trusted proxy's request without a forwarded certificate is
	 * authenticated by the proxy's own certificate, for proxies that also call the
	 * service themselves. Off by default: such a request has no client certificate.
	 * @param authenticateProxy whether the proxy's own certificate then counts
	 */
	public void setAuthenticateProxy(boolean authenticateProxy) {
		this.authenticateProxy = authenticateProxy;
	}

	/**
	 * Set whether an XFCC element that describes a certificate without carrying it
	 * ({@code Hash}, {@code Subject}, {@code URI}, {@code DNS}, as Istio sends by
	 * default) authenticates the request by what the trusted proxy says. Off by default:
	 * such an element is malformed, as nothing of it can be validated here.
	 * @param trustProxyVerification whether the proxy's verification is trusted
	 * @throws IllegalStateException if the format is not {@code xfcc}, the only one with
	 * such elements
	 */
	public void setTrustProxyVerification(boolean trustProxyVerification) {
		if (this.reader instanceof XfccReader xfcc) {
			this.reader = xfcc.withTrustProxyVerification(trustProxyVerification);
			this.read.clear();
		}
		else if (trustProxyVerification) {
			throw new IllegalStateException("Only the xfcc format forwards certificates without the certificate");
		}
	}

	/**
	 * Return the headers that carry forwarded certificates, to be removed from requests
	 * of peers that are not trusted proxies.
	 * @return the header names
	 */
	public List<String> getHeaders() {
		return this.removedHeaders;
	}

	/**
	 * Decide whose certificate a request carries.
	 * @param peer the direct peer's certificate chain from the TLS handshake, or
	 * {@code null} if it presented none
	 * @param address the direct peer's address literal, as the connection shows it, or
	 * {@code null} if unknown
	 * @param headers the request's headers
	 * @return what to do with the request
	 */
	public ForwardedRequest resolve(X509Certificate @Nullable [] peer, @Nullable String address, HeaderValues headers) {
		ForwardingProxy proxy = trustedProxy(peer, address);
		if (proxy == null) {
			// Every request of a direct client comes here: look the headers up only as
			// far as needed.
			if (this.removedHeaders.stream().allMatch((name) -> headers.get(name).isEmpty())) {
				return ForwardedRequest.DIRECT;
			}
			this.listener.forwarded(ForwardedOutcome.UNTRUSTED_SOURCE);
			logUntrusted(peer, address);
			return ForwardedRequest.UNTRUSTED_SOURCE;
		}
		List<List<String>> values = this.reader.headers().stream().map(headers::get).toList();
		int length = values.stream().flatMap(List::stream).mapToInt(String::length).sum();
		Object result = (length <= MAX_CACHED_CHARACTERS) ? this.read.get(new HeaderKey(values)) : read(values);
		if (result instanceof Malformed malformed) {
			this.listener.forwarded(ForwardedOutcome.MALFORMED);
			this.malformedLog.warn("malformed " + proxy + " " + malformed.problem(),
					() -> "Forwarded client certificate from trusted proxy %s refused with 400: %s".formatted(proxy,
							malformed.problem()));
			return new ForwardedRequest(ForwardedRequest.Kind.MALFORMED, List.of(), proxy, malformed.problem());
		}
		ForwardedChain forwarded = (ForwardedChain) result;
		List<X509Certificate> chain = forwarded.chain();
		AttestedCertificate attested = forwarded.attested();
		if (attested != null) {
			return attested(attested, forwarded, proxy);
		}
		if (chain.isEmpty()) {
			this.listener.forwarded(ForwardedOutcome.NO_CERTIFICATE);
			ForwardedRequest.Kind kind = (this.authenticateProxy && proxy.identity() != null)
					? ForwardedRequest.Kind.PROXY : ForwardedRequest.Kind.NO_CERTIFICATE;
			return new ForwardedRequest(kind, List.of(), proxy, null);
		}
		try {
			checkFartherProxies(forwarded.fartherProxies());
			// Validated here too, so that the request attribute never holds a chain that
			// was not, whatever reads it.
			this.forwardedVerifier.verify(chain.toArray(X509Certificate[]::new));
		}
		catch (CertificateException ex) {
			return refused(CertificateFingerprint.sha256(chain.get(0)), FORWARDED, proxy, ex);
		}
		if (chain.get(0).getBasicConstraints() >= 0) {
			// As for a direct client: PKIX accepts a CA certificate as a client; a
			// service must not.
			return refusedCaCertificate(chain.get(0), proxy);
		}
		this.listener.forwarded(ForwardedOutcome.FORWARDED);
		this.listener.forwardedBy(chain.get(0), proxy.toString());
		return new ForwardedRequest(ForwardedRequest.Kind.FORWARDED, chain, proxy, null);
	}

	private ForwardedRequest attested(AttestedCertificate attested, ForwardedChain forwarded, ForwardingProxy proxy) {
		try {
			List<@Nullable CertificateIdentity> attesting = new ArrayList<>(
					checkFartherProxies(forwarded.fartherProxies()));
			attesting.add(proxy.identity());
			checkAttestedTrustDomain(attested, attesting);
		}
		catch (CertificateException ex) {
			return refused(attested.sha256Fingerprint(), "Attested client certificate " + attested, proxy, ex);
		}
		this.listener.forwarded(ForwardedOutcome.ATTESTED);
		this.listener.attestedBy(attested.sha256Fingerprint(), proxy.toString());
		return new ForwardedRequest(ForwardedRequest.Kind.ATTESTED, List.of(), proxy, null, attested);
	}

	// An element farther than the nearest is only as good as every nearer one: each
	// nearer element names the proxy that the next farther one came through, and must be
	// a trusted proxy's certificate, or any client of the nearest proxy could claim a
	// farther element of its choice.
	private List<CertificateIdentity> checkFartherProxies(List<List<X509Certificate>> fartherProxies)
			throws CertificateException {
		List<CertificateIdentity> identities = new ArrayList<>(fartherProxies.size());
		for (int i = 0; i < fartherProxies.size(); i++) {
			List<X509Certificate> farther = fartherProxies.get(i);
			String hop = "the XFCC element of hop " + (i + 1);
			try {
				this.verifier.verify(farther.toArray(X509Certificate[]::new));
			}
			catch (CertificateException ex) {
				throw new CertificateRejectedException(Reason.UNTRUSTED,
						hop + " is not a trusted proxy's: " + ex.getMessage());
			}
			CertificateIdentity identity;
			try {
				identity = proxyIdentity(farther.get(0));
			}
			catch (MissingIdentityAttributeException ex) {
				throw new CertificateRejectedException(Reason.UNTRUSTED,
						hop + " is not a trusted proxy's: " + ex.getMessage());
			}
			if (!this.proxies.trustsFarther(identity)) {
				throw new CertificateRejectedException(Reason.UNTRUSTED, hop + " names '" + identity.getSubject()
						+ "', which is not a trusted proxy (mtls.forwarded.trusted-proxies.identities)");
			}
			identities.add(identity);
		}
		return identities;
	}

	// A proxy of a federated trust domain vouches for SPIFFE IDs of its own domain only,
	// as its CA does; so does every proxy the attestation came through.
	private static void checkAttestedTrustDomain(AttestedCertificate attested,
			List<@Nullable CertificateIdentity> proxies) throws CertificateRejectedException {
		for (CertificateIdentity proxy : proxies) {
			if (proxy != null && proxy.isFederated()) {
				String trustDomain = Objects.requireNonNullElse(proxy.getTrustDomain(), "");
				if (!attested.claimsOnlyTrustDomain(trustDomain)) {
					throw new CertificateRejectedException(Reason.UNTRUSTED,
							"the proxy '%s', of the federated trust domain '%s', attests a SPIFFE ID of another trust domain: %s"
								.formatted(CertificateText.escape(proxy.getName()), CertificateText.escape(trustDomain),
										CertificateText.escape(String.join(", ", attested.uris()))));
				}
			}
		}
	}

	private ForwardedRequest refusedCaCertificate(X509Certificate leaf, ForwardingProxy proxy) {
		ForwardedRequest refused = refused(CertificateFingerprint.sha256(leaf), FORWARDED, proxy, Reason.POLICY,
				"certificate '%s' is a CA certificate, which cannot be a client"
					.formatted(CertificateText.escape(leaf.getSubjectX500Principal().getName())));
		this.listener.authenticationFailed(AuthenticationFailure.CA_CERTIFICATE);
		return refused;
	}

	private ForwardedRequest refused(String fingerprint, String what, ForwardingProxy proxy, CertificateException ex) {
		Reason reason = (ex instanceof CertificateRejectedException rejected) ? rejected.getReason() : Reason.UNTRUSTED;
		ForwardedRequest refused = refused(fingerprint, what, proxy, reason,
				CertificateText.escapeMessage(ex.getMessage()));
		this.listener.authenticationFailed(reason);
		return refused;
	}

	// Logged once per certificate and reason, as the authenticator logs direct ones.
	private ForwardedRequest refused(String fingerprint, String what, ForwardingProxy proxy, Reason reason,
			String problem) {
		this.listener.forwarded(ForwardedOutcome.REFUSED);
		this.refusedLog.warn(fingerprint + " " + reason,
				() -> "%s from trusted proxy %s refused: %s; the request has no client certificate".formatted(what,
						proxy, problem));
		return new ForwardedRequest(ForwardedRequest.Kind.REFUSED, List.of(), proxy, problem);
	}

	private CertificateIdentity proxyIdentity(X509Certificate certificate) {
		return this.proxyIdentities.get(new ProxyCertificate(certificate, this.localTrustDomain.get()));
	}

	// Named by the common name, or by the subject where there is none (SPIFFE SVIDs):
	// patterns match attributes, not the name, and a proxy's certificate need not have
	// a common name. A federated proxy is named by its SPIFFE ID.
	private static CertificateIdentity identityOf(ProxyCertificate proxy) {
		List<X509Certificate> chain = List.of(proxy.certificate());
		try {
			return CertificateIdentity.of(chain, PrincipalName.CN, proxy.localTrustDomain());
		}
		catch (MissingIdentityAttributeException ex) {
			return CertificateIdentity.of(chain, PrincipalName.SUBJECT, proxy.localTrustDomain());
		}
	}

	private @Nullable ForwardingProxy trustedProxy(X509Certificate @Nullable [] peer, @Nullable String address) {
		CertificateIdentity identity = null;
		if (peer != null && peer.length > 0 && this.proxies.checksIdentity()) {
			try {
				this.verifier.verify(peer);
				identity = proxyIdentity(peer[0]);
			}
			catch (CertificateException | MissingIdentityAttributeException ex) {
				// No longer valid, or its names unreadable: not a trusted proxy; the
				// authenticator refuses it too.
			}
		}
		if (!this.proxies.trusts(identity, address)) {
			return null;
		}
		return new ForwardingProxy(identity, address);
	}

	private void logUntrusted(X509Certificate @Nullable [] peer, @Nullable String address) {
		String certificate = (peer != null && peer.length > 0) ? peer[0].getSubjectX500Principal().getName() : null;
		String key = "untrusted " + ((peer != null && peer.length > 0) ? CertificateFingerprint.sha256(peer[0]) : "")
				+ " " + address;
		this.untrustedLog.warn(key,
				() -> "Forwarded client certificate header %s from %s removed: the peer is not a trusted proxy (mtls.forwarded.trusted-proxies); the request is handled as a direct one"
					.formatted(this.reader.headers(), describe(certificate, address)));
	}

	private static String describe(@Nullable String subject, @Nullable String address) {
		String who = (subject != null) ? "'" + CertificateText.escape(subject) + "'" : "a peer without certificate";
		return (address != null) ? who + " at " + CertificateText.escape(address) : who;
	}

	private Object read(List<List<String>> values) {
		try {
			return this.reader.readForwarded((name) -> {
				int index = indexOf(name);
				return (index >= 0) ? values.get(index) : List.of();
			});
		}
		catch (MalformedForwardedCertificateException ex) {
			return new Malformed(CertificateText.escapeMessage(ex.getMessage()));
		}
	}

	private int indexOf(String name) {
		List<String> names = this.reader.headers();
		for (int i = 0; i < names.size(); i++) {
			if (names.get(i).equalsIgnoreCase(name)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The values of the forwarding headers, in the reader's order of headers. Its hash
	 * samples at most {@link #HASHED_CHARACTERS} characters of each value: a header is a
	 * few kilobytes, read anew for every request, and hashing all of it would cost more
	 * than the rest of the forwarded path; two certificates differ all along their
	 * encoding, and equality still compares every character.
	 */
	private static final class HeaderKey {

		private static final int HASHED_CHARACTERS = 256;

		// Where the sample starts differs per JVM, so that values cannot be made to
		// collide on purpose.
		private static final int SEED = new SecureRandom().nextInt(Integer.MAX_VALUE);

		private final List<List<String>> values;

		private final int hash;

		HeaderKey(List<List<String>> values) {
			this.values = values;
			int hash = 1;
			for (List<String> header : values) {
				for (String value : header) {
					hash = 31 * hash + sampledHash(value);
				}
				hash = 31 * hash + header.size();
			}
			this.hash = hash;
		}

		private static int sampledHash(String value) {
			int length = value.length();
			int step = Math.max(1, length / HASHED_CHARACTERS);
			int hash = length;
			for (int i = length - 1 - (SEED % step); i >= 0; i -= step) {
				hash = 31 * hash + value.charAt(i);
			}
			return hash;
		}

		List<List<String>> values() {
			return this.values;
		}

		@Override
		public boolean equals(@Nullable Object obj) {
			return (obj instanceof HeaderKey other) && this.hash == other.hash && this.values.equals(other.values);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

	/**
	 * A cache key: a proxy's certificate and the local trust domain its identity was
	 * built for.
	 */
	private record ProxyCertificate(X509Certificate certificate, @Nullable String localTrustDomain) {

	}

	/**
	 * Why the headers do not hold a certificate.
	 */
	private record Malformed(String problem) {
	}

}
