package dev.mtls.boot.trust;

import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertPathBuilder;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;

import dev.mtls.boot.identity.CertificateText;
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

	private final List<X509Certificate> trusted;

	private final CertificatePolicy policy;

	private final Clock clock;

	private final OnlineRevocation onlineRevocation;

	private final CertificatePathBuilder pathBuilder;

	private final CertificatePolicyChecks policyChecks;

	private final CrlChecks crlChecks;

	private final VerdictCache verdicts;

	CertificateValidator(List<X509Certificate> trusted, List<X509CRL> crls, CertificatePolicy policy, Clock clock,
			OnlineRevocation onlineRevocation, VerdictCache verdicts) {
		policy.requireSupport(CertificateValidator.class.getClassLoader());
		this.trusted = List.copyOf(trusted);
		this.policy = policy;
		this.clock = clock;
		this.onlineRevocation = onlineRevocation;
		this.pathBuilder = new CertificatePathBuilder(this.trusted, policy.maxChainLength(), onlineRevocation);
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
	 * Return the trusted certificates, as a server names them to its clients.
	 * @return the trust anchors' certificates
	 */
	public List<X509Certificate> getTrusted() {
		return this.trusted;
	}

	public CertificatePolicy getPolicy() {
		return this.policy;
	}

	private List<X509Certificate> validate(List<X509Certificate> chain, String purpose, @Nullable String host)
			throws CertificateRejectedException {
		if (chain.isEmpty()) {
			throw new CertificateRejectedException(Reason.UNTRUSTED, "No certificate presented");
		}
		Instant now = this.clock.instant();
		List<@Nullable Object> key = VerdictCache.key(chain, purpose, host);
		List<X509Certificate> cached = this.verdicts.get(key, now);
		if (cached != null) {
			return cached;
		}
		Validated validated;
		try {
			validated = validateUncached(chain, purpose, host, Date.from(now));
		}
		catch (RuntimeException ex) {
			// Malformed input makes the JDK or BouncyCastle throw unchecked exceptions: a
			// refusal all the same.
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"Unable to validate " + describe(chain.get(0)) + ": " + ex, ex);
		}
		// With soft-fail, a pass may stand for an unknown revocation status: not worth
		// keeping.
		if (!this.onlineRevocation.softFail()) {
			this.verdicts.put(key, validated, now, this.onlineRevocation.cacheTimeToLive());
		}
		return validated.path();
	}

	private Validated validateUncached(List<X509Certificate> chain, String purpose, @Nullable String host, Date date)
			throws CertificateRejectedException {
		CertificatePath built = this.pathBuilder.build(chain, date);
		List<X509Certificate> path = built.certificates();
		X509Certificate anchor = built.anchor();
		if (this.policy.strictStructure()) {
			StructureChecks.check(path, anchor);
		}
		this.policyChecks.check(path, anchor, purpose, date);
		this.crlChecks.check(path, anchor, date);
		if (host != null) {
			HostNameCheck.check(path.get(0), host);
		}
		return new Validated(path, anchor, this.crlChecks.relevantTo(path));
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
