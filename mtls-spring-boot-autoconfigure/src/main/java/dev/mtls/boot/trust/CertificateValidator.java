package dev.mtls.boot.trust;

import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertPathBuilder;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.identity.MissingIdentityAttributeException;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.trust.CertificatePathBuilder.CertificatePath;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import dev.mtls.boot.trust.VerdictCache.Validated;
import org.jspecify.annotations.Nullable;

/**
 * Validates peer certificate chains: a PKIX path to a trust anchor (the JDK's
 * {@link CertPathBuilder}; name constraints in the anchors are applied too), then the
 * {@link CertificatePolicy}, revocation by the configured CRLs, and, for servers, the
 * host name. A policy with strict structure needs BouncyCastle: without it, creating a
 * validator fails rather than skipping those checks. Usable without a server:
 *
 * <pre class="code">
 * CertificateValidator validator = CertificateValidator.of(trustedCas, crls, CertificatePolicy.DEFAULT, Clock.systemUTC());
 * validator.validateClient(chain);
 * </pre>
 *
 * @since 0.1.0
 */
public final class CertificateValidator {

	/**
	 * The longest a pass is kept with soft-fail revocation checking.
	 */
	static final Duration SOFT_FAIL_VERDICT_TIME_TO_LIVE = Duration.ofSeconds(30);

	/**
	 * The most certificates any presented chain may hold, whatever the policy.
	 */
	static final int MIN_MAX_PRESENTED_CERTIFICATES = 10;

	private final List<X509Certificate> trusted;

	private final CertificatePolicy policy;

	private final Clock clock;

	private final OnlineRevocation onlineRevocation;

	private final CertificatePathBuilder pathBuilder;

	// SPIFFE trust: one path builder per trust domain, chosen by the peer's SPIFFE ID;
	// empty when every anchor vouches for every peer.
	private final Map<String, CertificatePathBuilder> trustDomainPathBuilders;

	/**
	 * The workload's own trust domain, where peers are validated by trust domain: a
	 * server of another is known by its SPIFFE ID only.
	 */
	private final @Nullable String localTrustDomain;

	private final ExpectedServerIdentities expectedServers;

	private final CertificatePolicyChecks policyChecks;

	private final CrlChecks crlChecks;

	private final VerdictCache verdicts;

	CertificateValidator(List<X509Certificate> trusted, List<X509CRL> crls, CertificatePolicy policy, Clock clock,
			OnlineRevocation onlineRevocation, VerdictCache verdicts) {
		this(trusted, Map.of(), null, ExpectedServerIdentities.NONE, crls, policy, clock, onlineRevocation, verdicts);
	}

	private CertificateValidator(List<X509Certificate> trusted, Map<String, List<X509Certificate>> trustDomains,
			@Nullable String localTrustDomain, ExpectedServerIdentities expectedServers, List<X509CRL> crls,
			CertificatePolicy policy, Clock clock, OnlineRevocation onlineRevocation, VerdictCache verdicts) {
		policy.requireSupport(CertificateValidator.class.getClassLoader());
		this.trusted = List.copyOf(trusted);
		this.policy = policy;
		this.clock = clock;
		this.onlineRevocation = onlineRevocation;
		this.pathBuilder = new CertificatePathBuilder(this.trusted, policy.maxChainLength(), onlineRevocation);
		Map<String, CertificatePathBuilder> builders = new LinkedHashMap<>();
		trustDomains.forEach((trustDomain, anchors) -> builders.put(trustDomain,
				new CertificatePathBuilder(anchors, policy.maxChainLength(), onlineRevocation)));
		this.trustDomainPathBuilders = Collections.unmodifiableMap(builders);
		this.localTrustDomain = localTrustDomain;
		this.expectedServers = expectedServers;
		this.policyChecks = new CertificatePolicyChecks(policy);
		this.crlChecks = new CrlChecks(crls);
		this.verdicts = verdicts;
	}

	/**
	 * Create a validator.
	 * @param trusted the trust anchors
	 * @param crls revocation lists, each applying to the certificates of its issuer
	 * @param policy what certificates must satisfy beyond trust
	 * @param clock the clock giving the validation time
	 * @return the validator
	 */
	public static CertificateValidator of(Collection<X509Certificate> trusted, Collection<X509CRL> crls,
			CertificatePolicy policy, Clock clock) {
		if (trusted.isEmpty()) {
			throw new IllegalArgumentException("At least one trusted certificate is required");
		}
		return of(trusted, crls, policy, clock, OnlineRevocation.NONE);
	}

	/**
	 * Create a validator that also checks revocation online.
	 * @param trusted the trust anchors
	 * @param crls revocation lists, each applying to the certificates of its issuer
	 * @param policy what certificates must satisfy beyond trust
	 * @param clock the clock giving the validation time
	 * @param onlineRevocation the OCSP and CRL distribution point checking of end
	 * entities
	 * @return the validator
	 */
	public static CertificateValidator of(Collection<X509Certificate> trusted, Collection<X509CRL> crls,
			CertificatePolicy policy, Clock clock, OnlineRevocation onlineRevocation) {
		if (trusted.isEmpty()) {
			throw new IllegalArgumentException("At least one trusted certificate is required");
		}
		return new CertificateValidator(new ArrayList<>(trusted), new ArrayList<>(crls), policy, clock,
				onlineRevocation, new VerdictCache());
	}

	/**
	 * Create a validator of SPIFFE peers: a peer's certificate must carry exactly one
	 * valid SPIFFE ID, and its chain is validated against the CAs of that ID's trust
	 * domain only, so that one domain's CA never vouches for another domain's IDs.
	 * @param trustDomains the CA certificates of each trust domain (its X.509 bundle), by
	 * trust domain name, such as {@code acme.org}
	 * @param crls revocation lists, each applying to the certificates of its issuer
	 * @param policy what certificates must satisfy beyond trust
	 * @param clock the clock giving the validation time
	 * @param onlineRevocation the OCSP and CRL distribution point checking of end
	 * entities
	 * @param expectedServers the identities expected of servers by host, instead of their
	 * host names (SVIDs name no host)
	 * @return the validator
	 * @since 0.1.0
	 */
	public static CertificateValidator ofTrustDomains(Map<String, ? extends Collection<X509Certificate>> trustDomains,
			Collection<X509CRL> crls, CertificatePolicy policy, Clock clock, OnlineRevocation onlineRevocation,
			ExpectedServerIdentities expectedServers) {
		return ofTrustDomains(trustDomains, null, crls, policy, clock, onlineRevocation, expectedServers);
	}

	/**
	 * Create a validator of SPIFFE peers, as
	 * {@link #ofTrustDomains(Map, Collection, CertificatePolicy, Clock, OnlineRevocation, ExpectedServerIdentities)},
	 * for a workload of the given trust domain: a server of any other trust domain must
	 * be expected by its SPIFFE ID ({@code mtls.spiffe.expected-servers}), not by the
	 * host names its CA wrote, since a federated domain's CA vouches for its own SPIFFE
	 * IDs only.
	 * @param trustDomains the CA certificates of each trust domain, by trust domain name
	 * @param localTrustDomain the workload's own trust domain, or {@code null} to check
	 * host names of servers of every trust domain
	 * @param crls revocation lists, each applying to the certificates of its issuer
	 * @param policy what certificates must satisfy beyond trust
	 * @param clock the clock giving the validation time
	 * @param onlineRevocation the OCSP and CRL distribution point checking of end
	 * entities
	 * @param expectedServers the identities expected of servers by host
	 * @return the validator
	 * @since 0.1.0
	 */
	public static CertificateValidator ofTrustDomains(Map<String, ? extends Collection<X509Certificate>> trustDomains,
			@Nullable String localTrustDomain, Collection<X509CRL> crls, CertificatePolicy policy, Clock clock,
			OnlineRevocation onlineRevocation, ExpectedServerIdentities expectedServers) {
		Map<String, List<X509Certificate>> bundles = new LinkedHashMap<>();
		List<X509Certificate> trusted = new ArrayList<>();
		trustDomains.forEach((trustDomain, anchors) -> {
			if (!anchors.isEmpty()) {
				bundles.put(trustDomain, List.copyOf(anchors));
				trusted.addAll(anchors);
			}
		});
		if (bundles.isEmpty()) {
			throw new IllegalArgumentException("At least one trust domain with a CA certificate is required");
		}
		return new CertificateValidator(trusted, bundles, localTrustDomain, expectedServers, new ArrayList<>(crls),
				policy, clock, onlineRevocation, new VerdictCache());
	}

	/**
	 * Create a validator trusting the certificates of a trust store.
	 * @param trustStore the trust store
	 * @param crls revocation lists
	 * @param policy the policy
	 * @param clock the clock
	 * @return the validator
	 */
	public static CertificateValidator of(KeyStore trustStore, Collection<X509CRL> crls, CertificatePolicy policy,
			Clock clock) {
		return of(trustStore, crls, policy, clock, OnlineRevocation.NONE);
	}

	/**
	 * Create a validator trusting the certificates of a trust store, checking revocation
	 * online too.
	 * @param trustStore the trust store
	 * @param crls revocation lists
	 * @param policy the policy
	 * @param clock the clock
	 * @param onlineRevocation the OCSP and CRL distribution point checking of end
	 * entities
	 * @return the validator
	 */
	public static CertificateValidator of(KeyStore trustStore, Collection<X509CRL> crls, CertificatePolicy policy,
			Clock clock, OnlineRevocation onlineRevocation) {
		try {
			List<X509Certificate> trusted = new ArrayList<>();
			for (String alias : Collections.list(trustStore.aliases())) {
				if (trustStore.getCertificate(alias) instanceof X509Certificate certificate) {
					trusted.add(certificate);
				}
			}
			return of(trusted, crls, policy, clock, onlineRevocation);
		}
		catch (KeyStoreException ex) {
			throw new IllegalStateException("Unable to read trust store", ex);
		}
	}

	/**
	 * Validate a client's chain, as a server does.
	 * @param chain the chain the client presented, leaf first
	 * @return the validated path, leaf first, without the trust anchor
	 * @throws CertificateRejectedException if the chain is refused
	 */
	public List<X509Certificate> validateClient(List<X509Certificate> chain) throws CertificateRejectedException {
		return validate(chain, CertificatePolicyChecks.CLIENT_AUTH, null);
	}

	/**
	 * Validate a server's chain, as a client does.
	 * @param chain the chain the server presented, leaf first
	 * @param host the host name or IP address called, or {@code null} not to check it
	 * @return the validated path, leaf first, without the trust anchor
	 * @throws CertificateRejectedException if the chain is refused
	 */
	public List<X509Certificate> validateServer(List<X509Certificate> chain, @Nullable String host)
			throws CertificateRejectedException {
		return validate(chain, CertificatePolicyChecks.SERVER_AUTH, host);
	}

	/**
	 * Return the trusted certificates, as a server names them to its clients; for SPIFFE
	 * trust, those of every trust domain.
	 * @return the trust anchors' certificates
	 */
	public List<X509Certificate> getTrusted() {
		return this.trusted;
	}

	/**
	 * Return how many revocation lists the validator checks certificates against.
	 * @return the number of CRLs
	 * @since 0.1.0
	 */
	public int getCrlCount() {
		return this.crlChecks.size();
	}

	public CertificatePolicy getPolicy() {
		return this.policy;
	}

	private List<X509Certificate> validate(List<X509Certificate> chain, String purpose, @Nullable String host)
			throws CertificateRejectedException {
		if (chain.isEmpty()) {
			throw new CertificateRejectedException(Reason.UNTRUSTED, "No certificate presented");
		}
		int maxPresented = maxPresentedCertificates();
		if (chain.size() > maxPresented) {
			// Before any path building, whose search grows with every certificate that
			// could issue another; the JDK's engine stops longer chains in the
			// handshake, Conscrypt only at 100 KB of certificates.
			throw new CertificateRejectedException(Reason.POLICY,
					"Presented " + chain.size() + " certificates, more than " + maxPresented
							+ " (twice mtls.policy.max-chain-length, at least " + MIN_MAX_PRESENTED_CERTIFICATES + ")");
		}
		Instant now = this.clock.instant();
		List<@Nullable Object> key = VerdictCache.key(chain, purpose, host);
		List<X509Certificate> cached = this.verdicts.get(key, now);
		if (cached != null) {
			return cached;
		}
		Validated validated;
		try {
			// Certificates state their validity in whole seconds: compare at that
			// granularity, so that a notAfter holds for its whole second.
			validated = validateUncached(chain, purpose, host, Date.from(now.truncatedTo(ChronoUnit.SECONDS)));
		}
		catch (RuntimeException ex) {
			// Malformed input makes the JDK or BouncyCastle throw unchecked exceptions: a
			// refusal all the same.
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"Unable to validate " + describe(chain.get(0)) + ": " + ex, ex);
		}
		this.verdicts.put(key, validated, now, verdictTimeToLive());
		return validated.path();
	}

	/**
	 * Return the most certificates a peer may present: twice the longest path the policy
	 * allows (room for the anchor, cross-signed and superfluous certificates), and at
	 * least the JDK's own limit for a TLS peer's chain
	 * ({@code jdk.tls.maxCertificateChainLength}, 10).
	 * @return the most certificates a presented chain may hold
	 */
	int maxPresentedCertificates() {
		// Saturating: an unlimited policy sets Integer.MAX_VALUE.
		return (int) Math.max(MIN_MAX_PRESENTED_CERTIFICATES,
				Math.min(Integer.MAX_VALUE, 2L * this.policy.maxChainLength()));
	}

	/**
	 * With soft-fail, a pass may stand for an unknown revocation status: kept for
	 * {@link #SOFT_FAIL_VERDICT_TIME_TO_LIVE} at most, so that a responder that is down
	 * is asked again soon, yet not on every request of every connection (each would wait
	 * for its timeouts).
	 * @return how long a pass is kept
	 */
	private Duration verdictTimeToLive() {
		Duration configured = this.onlineRevocation.cacheTimeToLive();
		return (this.onlineRevocation.softFail() && configured.compareTo(SOFT_FAIL_VERDICT_TIME_TO_LIVE) > 0)
				? SOFT_FAIL_VERDICT_TIME_TO_LIVE : configured;
	}

	private Validated validateUncached(List<X509Certificate> chain, String purpose, @Nullable String host, Date date)
			throws CertificateRejectedException {
		String trustDomain = spiffeTrustDomain(chain.get(0));
		CertificatePath built = pathBuilder(trustDomain).build(chain, date);
		List<X509Certificate> path = built.certificates();
		X509Certificate anchor = built.anchor();
		if (this.policy.strictStructure()) {
			StructureChecks.check(path, anchor);
		}
		this.policyChecks.check(path, anchor, purpose, date);
		this.crlChecks.check(path, anchor, date);
		if (host != null) {
			checkServerIdentity(path.get(0), host, trustDomain);
		}
		return new Validated(path, anchor, this.crlChecks.relevantTo(path));
	}

	// The trust domain is that of the server's SPIFFE ID where peers are validated by
	// trust domain, else null.
	private void checkServerIdentity(X509Certificate leaf, String host, @Nullable String trustDomain)
			throws CertificateRejectedException {
		IdentityPattern expected = this.expectedServers.forHost(host);
		if (expected == null) {
			// A federated domain's CA vouches for its own SPIFFE IDs, not for our host
			// names.
			String local = this.localTrustDomain;
			if (local != null && trustDomain != null && !local.equals(trustDomain)) {
				throw new CertificateRejectedException(Reason.NAME_MISMATCH,
						("%s is a server of the trust domain '%s', not of this workload's '%s': its host names are "
								+ "not checked, only a SPIFFE ID expected of '%s' in mtls.spiffe.expected-servers")
							.formatted(describe(leaf), trustDomain, local, host));
			}
			HostNameCheck.check(leaf, host);
			return;
		}
		CertificateIdentity identity;
		try {
			identity = CertificateIdentity.of(List.of(leaf), PrincipalName.SPIFFE_ID);
		}
		catch (MissingIdentityAttributeException ex) {
			throw new CertificateRejectedException(Reason.NAME_MISMATCH,
					"%s has no SPIFFE ID (%s), where '%s' is expected of '%s'".formatted(describe(leaf),
							ex.getMessage(), expected, host),
					ex);
		}
		if (!expected.matches(identity)) {
			throw new CertificateRejectedException(Reason.NAME_MISMATCH, "%s is %s, where '%s' is expected of '%s'"
				.formatted(describe(leaf), identity.getName(), expected, host));
		}
	}

	/**
	 * Return the trust domain of a peer's SPIFFE ID where peers are validated by trust
	 * domain.
	 * @param leaf the peer's certificate
	 * @return the trust domain, or {@code null} if peers are not validated by trust
	 * domain
	 * @throws CertificateRejectedException if the peer is no SPIFFE peer, or of a trust
	 * domain without a bundle
	 */
	private @Nullable String spiffeTrustDomain(X509Certificate leaf) throws CertificateRejectedException {
		if (this.trustDomainPathBuilders.isEmpty()) {
			return null;
		}
		CertificateIdentity identity;
		try {
			identity = CertificateIdentity.of(List.of(leaf), PrincipalName.SPIFFE_ID);
		}
		catch (MissingIdentityAttributeException ex) {
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"%s is no SPIFFE peer: %s".formatted(describe(leaf), ex.getMessage()), ex);
		}
		// X.509-SVID, section 2: exactly one URI SAN, the SPIFFE ID.
		if (identity.getUris().size() != 1) {
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"%s is no SPIFFE peer: an X.509 SVID has exactly one URI SAN, this one has %d"
						.formatted(describe(leaf), identity.getUris().size()));
		}
		String trustDomain = Objects.requireNonNull(identity.getTrustDomain());
		if (!this.trustDomainPathBuilders.containsKey(trustDomain)) {
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"%s has the SPIFFE ID %s, of the trust domain '%s', for which there is no trust bundle (known: %s)"
						.formatted(describe(leaf), identity.getName(), trustDomain,
								this.trustDomainPathBuilders.keySet()));
		}
		return trustDomain;
	}

	private CertificatePathBuilder pathBuilder(@Nullable String trustDomain) {
		return (trustDomain != null) ? Objects.requireNonNull(this.trustDomainPathBuilders.get(trustDomain))
				: this.pathBuilder;
	}

	/**
	 * Return the workload's own trust domain, where peers are validated by trust domain.
	 * @return the trust domain, or {@code null}
	 */
	public @Nullable String getLocalTrustDomain() {
		return this.localTrustDomain;
	}

	static String describe(X509Certificate certificate) {
		return CertificateText.describe(certificate);
	}

	/**
	 * Read CRLs (PEM or DER) with the JDK.
	 * @param in the stream
	 * @return the CRLs
	 * @throws IOException if the content is not CRLs
	 */
	public static List<X509CRL> readCrls(InputStream in) throws IOException {
		return CrlChecks.read(in);
	}

}
