package dev.mtls.boot.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;


/**
 * Validates peer certificate chains: a PKIX path to a trust anchor (the JDK's
 * {@link CertPathBuilder}; name constraints in the anchors are applied too), then the
 * {@link CertificatePolicy}, revocation by the configured CRLs, and, for servers, the host
 * name. Usable without a server:
 *
 * <pre class="code">
 * CertificateValidator validator = CertificateValidator.of(trustedCas, crls, CertificatePolicy.DEFAULT, Clock.systemUTC());
 * validator.validateClient(chain);
 * </pre>
 *
 * @since 0.1.0
 */
public final class CertificateValidator {

	private static final String NAME_CONSTRAINTS = "2.5.29.30";

	private static final String CRL_NUMBER = "2.5.29.20";

	private static final String BASIC_CONSTRAINTS = "2.5.29.19";

	private static final String POLICY_CONSTRAINTS = "2.5.29.36";

	private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

	private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

	private static final int MAX_CACHED_VERDICTS = 10_000;

	private static final boolean BOUNCY_CASTLE_PRESENT = ClassUtils.isPresent("org.bouncycastle.asn1.x509.NameConstraints",
			CertificateValidator.class.getClassLoader());

	private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

	private static final int KEY_USAGE_CRL_SIGN = 6;

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private final List<X509Certificate> trusted;

	private final Set<TrustAnchor> anchors;

	private final List<X509CRL> crls;

	private final CertificatePolicy policy;

	private final Clock clock;

	private final OnlineRevocation onlineRevocation;

	private final Map<List<@Nullable Object>, Verdict> validated = new ConcurrentHashMap<>();

	private CertificateValidator(List<X509Certificate> trusted, List<X509CRL> crls, CertificatePolicy policy, Clock clock,
			OnlineRevocation onlineRevocation) {
		this.trusted = List.copyOf(trusted);
		Set<TrustAnchor> anchors = new HashSet<>();
		for (X509Certificate certificate : trusted) {
			anchors.add(new TrustAnchor(certificate, null));
		}
		this.anchors = Collections.unmodifiableSet(anchors);
		this.crls = List.copyOf(crls);
		this.policy = policy;
		this.clock = clock;
		this.onlineRevocation = onlineRevocation;
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
	 * @param onlineRevocation OCSP and CRL distribution point checking of end entities
	 * @return the validator
	 */
	public static CertificateValidator of(Collection<X509Certificate> trusted, Collection<X509CRL> crls,
			CertificatePolicy policy, Clock clock, OnlineRevocation onlineRevocation) {
		if (trusted.isEmpty()) {
			throw new IllegalArgumentException("At least one trusted certificate is required");
		}
		return new CertificateValidator(new ArrayList<>(trusted), new ArrayList<>(crls), policy, clock, onlineRevocation);
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
	 * @param onlineRevocation OCSP and CRL distribution point checking of end entities
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
		return validate(chain, CLIENT_AUTH, null);
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
		return validate(chain, SERVER_AUTH, host);
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
		List<@Nullable Object> key = new ArrayList<>(chain);
		key.add(purpose);
		key.add(host);
		Verdict cached = this.validated.get(key);
		if (cached != null && now.isBefore(cached.until())) {
			return cached.path();
		}
		Validated validated;
		try {
			validated = validateUncached(chain, purpose, host, Date.from(now));
		}
		catch (RuntimeException ex) {
			// Malformed input makes the JDK or BouncyCastle throw unchecked exceptions: a refusal all the same.
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"Unable to validate " + describe(chain.get(0)) + ": " + ex, ex);
		}
		// With soft-fail, a pass may stand for an unknown revocation status: not worth keeping.
		if (!this.onlineRevocation.softFail()) {
			if (this.validated.size() >= MAX_CACHED_VERDICTS) {
				this.validated.clear();
			}
			this.validated.put(key, new Verdict(validated.path(), validated.until(now, this.onlineRevocation.cacheTimeToLive())));
		}
		return validated.path();
	}

	private Validated validateUncached(List<X509Certificate> chain, String purpose, @Nullable String host, Date date)
			throws CertificateRejectedException {
		PKIXCertPathBuilderResult result = buildPath(chain, date);
		@SuppressWarnings("unchecked")
		List<X509Certificate> built = (List<X509Certificate>) result.getCertPath().getCertificates();
		// An empty path means the leaf is itself a trust anchor.
		List<X509Certificate> path = built.isEmpty() ? List.of(chain.get(0)) : built;
		X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
		if (anchor != null && anchor.getExtensionValue(NAME_CONSTRAINTS) != null) {
			checkAnchorNameConstraints(path, anchor, date);
		}
		checkStructure(path, anchor);
		checkUsage(path.get(0), purpose);
		for (X509Certificate certificate : path) {
			checkKey(certificate);
			checkSignature(certificate);
		}
		if (anchor != null) {
			checkKey(anchor);
			if (this.policy.checkTrustAnchorValidity()) {
				checkValidity(anchor, date, "trust anchor");
			}
		}
		checkRevocation(path, anchor, date);
		if (host != null) {
			checkHost(path.get(0), host);
		}
		return new Validated(path, anchor, relevantCrls(path));
	}

	private List<X509CRL> relevantCrls(List<X509Certificate> path) {
		return this.crls.stream()
			.filter((crl) -> path.stream()
				.anyMatch((certificate) -> crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())))
			.toList();
	}

	/**
	 * A validated path, with what its verdict relied on.
	 */
	private record Validated(List<X509Certificate> path, @Nullable X509Certificate anchor, List<X509CRL> crls) {

		/**
		 * The verdict holds until the cache time ends, a certificate of the path or the
		 * anchor expires, or a CRL it relied on is due for its next update.
		 */
		Instant until(Instant now, java.time.Duration timeToLive) {
			Instant until = now.plus(timeToLive);
			List<X509Certificate> certificates = new ArrayList<>(this.path);
			if (this.anchor != null) {
				certificates.add(this.anchor);
			}
			for (X509Certificate certificate : certificates) {
				Instant notAfter = certificate.getNotAfter().toInstant();
				until = notAfter.isBefore(until) ? notAfter : until;
			}
			for (X509CRL crl : this.crls) {
				if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(until)) {
					until = crl.getNextUpdate().toInstant();
				}
			}
			return until;
		}

	}

	private record Verdict(List<X509Certificate> path, Instant until) {
	}

	private PKIXCertPathBuilderResult buildPath(List<X509Certificate> chain, Date date)
			throws CertificateRejectedException {
		try {
			X509CertSelector leaf = new X509CertSelector();
			leaf.setCertificate(chain.get(0));
			PKIXBuilderParameters parameters = new PKIXBuilderParameters(this.anchors, leaf);
			parameters.setRevocationEnabled(false);
			parameters.setDate(date);
			parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
			if (this.onlineRevocation.enabled()) {
				parameters.setRevocationEnabled(true);
				parameters.addCertPathChecker(this.onlineRevocation.checker());
			}
			// PKIX counts intermediates (non-self-issued) below the anchor; the policy counts the leaf too.
			int maxLength = this.policy.maxChainLength();
			parameters.setMaxPathLength((maxLength == Integer.MAX_VALUE) ? -1 : Math.max(0, maxLength - 1));
			return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
		}
		catch (CertPathBuilderException ex) {
			Throwable cause = ex;
			while (cause != null) {
				if (cause instanceof java.security.cert.CertPathValidatorException validatorException
						&& (validatorException.getReason() == java.security.cert.CertPathValidatorException.BasicReason.REVOKED
								|| validatorException.getReason() == java.security.cert.CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)) {
					throw new CertificateRejectedException(Reason.REVOKED,
							describe(chain.get(0)) + " failed the online revocation check: " + validatorException.getMessage(), ex);
				}
				if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
					throw new CertificateRejectedException(Reason.EXPIRED, describe(chain.get(0))
							+ " is not valid at " + date.toInstant() + " (or a certificate of its chain is not)", ex);
				}
				cause = cause.getCause();
			}
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					describe(chain.get(0)) + " has no valid path to a trusted CA: " + ex.getMessage(), ex);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// The JDK throws unchecked exceptions on some malformed input (e.g. otherName constraints).
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"Unable to validate " + describe(chain.get(0)) + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The JDK's path building ignores name constraints in trust anchors. Validate the path
	 * once more with the anchor's own certificate in it, anchored at its key, so that its
	 * constraints apply to everything below it.
	 */
	private static void checkAnchorNameConstraints(List<X509Certificate> path, X509Certificate anchor, Date date)
			throws CertificateRejectedException {
		try {
			List<X509Certificate> withAnchor = new ArrayList<>(path);
			withAnchor.add(anchor);
			PKIXParameters parameters = new PKIXParameters(
					Set.of(new TrustAnchor(anchor.getSubjectX500Principal(), anchor.getPublicKey(), null)));
			parameters.setRevocationEnabled(false);
			parameters.setDate(date);
			CertPathValidator.getInstance("PKIX")
				.validate(CertificateFactory.getInstance("X.509").generateCertPath(withAnchor), parameters);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new CertificateRejectedException(Reason.UNTRUSTED, describe(path.get(0))
					+ " breaks the name constraints of its trust anchor '" + anchor.getSubjectX500Principal().getName() + "': "
					+ ex.getMessage(), ex);
		}
	}

	/**
	 * RFC 5280 rules the JDK's path validation does not enforce: serial numbers, CA
	 * extensions of anchors, key usage and name constraints of end entities, criticality
	 * of policy constraints, and the profile checks of {@link StructureChecks}.
	 */
	private void checkStructure(List<X509Certificate> path, @Nullable X509Certificate anchor)
			throws CertificateRejectedException {
		if (!this.policy.strictStructure()) {
			return;
		}
		if (BOUNCY_CASTLE_PRESENT) {
			StructureChecks.check(path, anchor);
		}
		X509Certificate leaf = path.get(0);
		for (X509Certificate certificate : path) {
			BigInteger serial = certificate.getSerialNumber();
			if (serial.signum() <= 0 || serial.bitLength() > 159) {
				throw new CertificateRejectedException(Reason.POLICY,
						describe(certificate) + " has a serial number that is not a positive number of at most 20 octets");
			}
			Set<String> critical = certificate.getNonCriticalExtensionOIDs();
			if (certificate != leaf && critical != null && critical.contains(POLICY_CONSTRAINTS)) {
				throw new CertificateRejectedException(Reason.POLICY, describe(certificate) + " has non-critical policy constraints");
			}
		}
		if (leaf.getBasicConstraints() < 0) {
			boolean[] keyUsage = leaf.getKeyUsage();
			if (keyUsage != null && keyUsage.length > KEY_USAGE_KEY_CERT_SIGN && keyUsage[KEY_USAGE_KEY_CERT_SIGN]) {
				throw new CertificateRejectedException(Reason.POLICY,
						describe(leaf) + " may sign certificates (keyCertSign) but is not a CA");
			}
			if (leaf.getExtensionValue(NAME_CONSTRAINTS) != null) {
				throw new CertificateRejectedException(Reason.POLICY, describe(leaf) + " has name constraints but is not a CA");
			}
		}
		if (anchor != null && anchor != leaf) {
			Set<String> critical = anchor.getCriticalExtensionOIDs();
			if (anchor.getBasicConstraints() < 0 || critical == null || !critical.contains(BASIC_CONSTRAINTS)) {
				throw new CertificateRejectedException(Reason.POLICY,
						"The trust anchor " + describe(anchor) + " lacks critical CA basic constraints");
			}
			if (anchor.hasUnsupportedCriticalExtension()) {
				throw new CertificateRejectedException(Reason.POLICY,
						"The trust anchor " + describe(anchor) + " has an unsupported critical extension");
			}
		}
	}

	private static String purposeName(String purpose) {
		return purpose.equals(CLIENT_AUTH) ? "clientAuth" : "serverAuth";
	}

	private void checkUsage(X509Certificate leaf, String purpose) throws CertificateRejectedException {
		if (!this.policy.requireClientAuthUsage()) {
			return;
		}
		try {
			List<String> usages = leaf.getExtendedKeyUsage();
			if (usages != null && !usages.contains(purpose)) {
				throw new CertificateRejectedException(Reason.POLICY,
						describe(leaf) + " has extended key usages " + usages + " without " + purposeName(purpose));
			}
			if (usages != null && usages.contains(ANY_EXTENDED_KEY_USAGE)) {
				throw new CertificateRejectedException(Reason.POLICY,
						describe(leaf) + " allows any extended key usage; it must name " + purposeName(purpose) + " only");
			}
		}
		catch (CertificateParsingException ex) {
			throw new CertificateRejectedException(Reason.POLICY, describe(leaf) + " has a malformed extended key usage", ex);
		}
	}

	private void checkKey(X509Certificate certificate) throws CertificateRejectedException {
		PublicKey key = certificate.getPublicKey();
		if (key instanceof RSAPublicKey rsa) {
			int bits = rsa.getModulus().bitLength();
			if (bits < this.policy.minRsaKeySize() || (this.policy.minRsaKeySize() > 0 && bits % 8 != 0)) {
				throw new CertificateRejectedException(Reason.POLICY, describe(certificate) + " has a " + bits
						+ "-bit RSA key; at least " + this.policy.minRsaKeySize() + " bits, a multiple of 8, are required");
			}
		}
		else if (key instanceof ECPublicKey ec) {
			int bits = ec.getParams().getCurve().getField().getFieldSize();
			if (bits < this.policy.minEcKeySize()) {
				throw new CertificateRejectedException(Reason.POLICY, describe(certificate) + " has a " + bits
						+ "-bit EC key; at least " + this.policy.minEcKeySize() + " bits are required");
			}
		}
		else if (key instanceof DSAPublicKey && this.policy.minRsaKeySize() > 0) {
			throw new CertificateRejectedException(Reason.POLICY, describe(certificate) + " has a DSA key, which is not accepted");
		}
	}

	private void checkSignature(X509Certificate certificate) throws CertificateRejectedException {
		String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
		if (!this.policy.allowSha1()
				&& (algorithm.contains("SHA1") || algorithm.startsWith("MD5") || algorithm.startsWith("MD2"))) {
			throw new CertificateRejectedException(Reason.POLICY,
					describe(certificate) + " is signed with " + certificate.getSigAlgName() + "; SHA-1 and weaker are refused");
		}
	}

	private static void checkValidity(X509Certificate certificate, Date date, String role)
			throws CertificateRejectedException {
		try {
			certificate.checkValidity(date);
		}
		catch (CertificateExpiredException | CertificateNotYetValidException ex) {
			throw new CertificateRejectedException(Reason.EXPIRED,
					"The " + role + " " + describe(certificate) + " is not valid at " + date.toInstant(), ex);
		}
	}

	private void checkRevocation(List<X509Certificate> path, @Nullable X509Certificate anchor, Date date)
			throws CertificateRejectedException {
		if (this.crls.isEmpty()) {
			return;
		}
		for (int i = 0; i < path.size(); i++) {
			X509Certificate certificate = path.get(i);
			X509Certificate issuer = (i + 1 < path.size()) ? path.get(i + 1) : anchor;
			if (issuer == null) {
				continue;
			}
			for (X509CRL crl : this.crls) {
				if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
					checkCrl(crl, issuer, date);
					if (crl.isRevoked(certificate)) {
						throw new CertificateRejectedException(Reason.REVOKED,
								describe(certificate) + " is revoked by the CRL of '" + crl.getIssuerX500Principal().getName() + "'");
					}
				}
			}
		}
	}

	/**
	 * Refuse to rely on a CRL that is not genuine and current: an error, never a silent
	 * pass.
	 */
	private static void checkCrl(X509CRL crl, X509Certificate issuer, Date date) throws CertificateRejectedException {
		String name = "The CRL of '" + crl.getIssuerX500Principal().getName() + "'";
		boolean[] keyUsage = issuer.getKeyUsage();
		if (keyUsage != null && (keyUsage.length <= KEY_USAGE_CRL_SIGN || !keyUsage[KEY_USAGE_CRL_SIGN])) {
			throw new CertificateRejectedException(Reason.REVOKED, name + " is issued by a CA without cRLSign key usage");
		}
		try {
			crl.verify(issuer.getPublicKey());
		}
		catch (GeneralSecurityException ex) {
			throw new CertificateRejectedException(Reason.REVOKED, name + " has a bad signature", ex);
		}
		if (crl.getExtensionValue(CRL_NUMBER) == null) {
			throw new CertificateRejectedException(Reason.REVOKED, name + " has no CRL number");
		}
		Set<String> critical = crl.getCriticalExtensionOIDs();
		if (critical != null && critical.contains(CRL_NUMBER)) {
			throw new CertificateRejectedException(Reason.REVOKED, name + " marks its CRL number critical");
		}
		if (crl.getNextUpdate() != null && date.after(crl.getNextUpdate())) {
			throw new CertificateRejectedException(Reason.REVOKED,
					name + " expired on " + crl.getNextUpdate().toInstant() + " (next update)");
		}
	}

	private static void checkHost(X509Certificate leaf, String host) throws CertificateRejectedException {
		Collection<List<?>> names;
		try {
			names = leaf.getSubjectAlternativeNames();
		}
		catch (CertificateParsingException ex) {
			throw new CertificateRejectedException(Reason.NAME_MISMATCH, describe(leaf) + " has malformed SANs", ex);
		}
		List<String> seen = new ArrayList<>();
		boolean ip = IPV4.matcher(host).matches() || host.contains(":");
		if (names != null) {
			for (List<?> name : names) {
				if (!(name.get(1) instanceof String value)) {
					continue;
				}
				int type = (Integer) name.get(0);
				seen.add(value);
				if (ip ? (type == 7 && sameAddress(value, host)) : (type == 2 && dnsMatches(value, host))) {
					return;
				}
			}
		}
		throw new CertificateRejectedException(Reason.NAME_MISMATCH,
				describe(leaf) + " is for " + seen + ", not for '" + host + "' (only subject alternative names count)");
	}

	private static boolean sameAddress(String san, String host) {
		try {
			String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			// Both are literals, so no name is looked up.
			return InetAddress.getByName(san).equals(InetAddress.getByName(literal));
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * RFC 6125 matching of a DNS SAN: exact, case-insensitive, or a wildcard that is the
	 * whole leftmost label, stands for exactly one label and has at least two labels
	 * after it.
	 */
	static boolean dnsMatches(String san, String host) {
		String name = stripDot(san.toLowerCase(Locale.ROOT));
		String target = stripDot(host.toLowerCase(Locale.ROOT));
		if (!name.contains("*")) {
			return name.equals(target);
		}
		if (!name.startsWith("*.") || name.indexOf('*', 1) >= 0) {
			return false;
		}
		String suffix = name.substring(1);
		if (suffix.indexOf('.', 1) < 0) {
			return false;
		}
		int labelEnd = target.length() - suffix.length();
		return labelEnd > 0 && target.endsWith(suffix) && target.lastIndexOf('.', labelEnd - 1) < 0;
	}

	private static String stripDot(String name) {
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
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
	public static List<X509CRL> readCrls(java.io.InputStream in) throws IOException {
		try {
			List<X509CRL> crls = new ArrayList<>();
			for (java.security.cert.CRL crl : java.security.cert.CertificateFactory.getInstance("X.509").generateCRLs(in)) {
				crls.add((X509CRL) crl);
			}
			return crls;
		}
		catch (CRLException | java.security.cert.CertificateException ex) {
			throw new IOException("not a CRL: " + ex.getMessage(), ex);
		}
	}

}
