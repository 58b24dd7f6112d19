package dev.mtls.boot.trust;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Builds a PKIX path from a presented chain to a trust anchor with the JDK's
 * {@link CertPathBuilder}, within the policy's length and with online revocation, and
 * applies the name constraints of the anchor itself, which the JDK leaves out. A chain
 * whose name constraints would cost too much to apply is refused first
 * ({@link NameChecks#checkWork}).
 */
final class CertificatePathBuilder {

	private static final String NAME_CONSTRAINTS = "2.5.29.30";

	private final Set<TrustAnchor> anchors;

	private final int maxChainLength;

	private final OnlineRevocation onlineRevocation;

	// The most name constraint subtrees of an anchor, or -1 without BouncyCastle to count
	// them.
	private final int anchorSubtrees;

	CertificatePathBuilder(Collection<X509Certificate> trusted, int maxChainLength, OnlineRevocation onlineRevocation) {
		Set<TrustAnchor> anchors = new HashSet<>();
		for (X509Certificate certificate : trusted) {
			anchors.add(new TrustAnchor(certificate, null));
		}
		this.anchors = Collections.unmodifiableSet(anchors);
		this.maxChainLength = maxChainLength;
		this.onlineRevocation = onlineRevocation;
		this.anchorSubtrees = ClassUtils.isPresent(CertificatePolicy.BOUNCY_CASTLE_CLASS,
				CertificatePathBuilder.class.getClassLoader()) ? NameChecks.maxSubtreeCount(trusted) : -1;
	}

	/**
	 * Build the path of a chain at a date.
	 * @param chain the presented chain, leaf first
	 * @param date the validation time
	 * @return the path, leaf first, without the trust anchor, and the anchor
	 * @throws CertificateRejectedException if no valid path exists
	 */
	CertificatePath build(List<X509Certificate> chain, Date date) throws CertificateRejectedException {
		if (this.anchorSubtrees >= 0) {
			// Before the JDK compares every name with every constraint.
			NameChecks.checkWork(chain, this.anchorSubtrees);
		}
		PKIXCertPathBuilderResult result = buildPath(chain, date);
		@SuppressWarnings("unchecked")
		List<X509Certificate> built = (List<X509Certificate>) result.getCertPath().getCertificates();
		// An empty path means the leaf is itself a trust anchor.
		List<X509Certificate> path = built.isEmpty() ? List.of(chain.get(0)) : built;
		X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
		if (anchor != null && anchor.getExtensionValue(NAME_CONSTRAINTS) != null) {
			checkAnchorNameConstraints(path, anchor, date);
		}
		return new CertificatePath(path, anchor);
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
			// PKIX counts intermediates (non-self-issued) below the anchor; the policy
			// counts the leaf too.
			int maxLength = this.maxChainLength;
			parameters.setMaxPathLength((maxLength == Integer.MAX_VALUE) ? -1 : Math.max(0, maxLength - 1));
			return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
		}
		catch (CertPathBuilderException ex) {
			Throwable cause = ex;
			while (cause != null) {
				if (cause instanceof CertPathValidatorException validatorException && (validatorException
					.getReason() == CertPathValidatorException.BasicReason.REVOKED
						|| validatorException
							.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)) {
					throw new CertificateRejectedException(Reason.REVOKED, CertificateValidator.describe(chain.get(0))
							+ " failed the online revocation check: " + validatorException.getMessage(), ex);
				}
				if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
					throw new CertificateRejectedException(Reason.EXPIRED, CertificateValidator.describe(chain.get(0))
							+ " is not valid at " + date.toInstant() + " (or a certificate of its chain is not)", ex);
				}
				cause = cause.getCause();
			}
			// The JDK looks for a target valid at the date, so an expired leaf is
			// reported as not found.
			if (!isValidAt(chain.get(0), date)) {
				throw new CertificateRejectedException(Reason.EXPIRED,
						CertificateValidator.describe(chain.get(0)) + " is not valid at " + date.toInstant(), ex);
			}
			throw new CertificateRejectedException(Reason.UNTRUSTED, CertificateValidator.describe(chain.get(0))
					+ " has no valid path to a trusted CA: " + ex.getMessage(), ex);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// The JDK throws unchecked exceptions on some malformed input (e.g. otherName
			// constraints).
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					"Unable to validate " + CertificateValidator.describe(chain.get(0)) + ": " + ex.getMessage(), ex);
		}
	}

	private static boolean isValidAt(X509Certificate certificate, Date date) {
		try {
			certificate.checkValidity(date);
			return true;
		}
		catch (CertificateExpiredException | CertificateNotYetValidException ex) {
			return false;
		}
	}

	/**
	 * The JDK's path building ignores name constraints in trust anchors. Validate the
	 * path once more with the anchor's own certificate in it, anchored at its key, so
	 * that its constraints apply to everything below it.
	 * @param path the built path, leaf first, without the anchor
	 * @param anchor the trust anchor's certificate
	 * @param date the validation time
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
			throw new CertificateRejectedException(Reason.UNTRUSTED,
					CertificateValidator.describe(path.get(0)) + " breaks the name constraints of its trust anchor '"
							+ anchor.getSubjectX500Principal().getName() + "': " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * A built path, leaf first, without its trust anchor, and the anchor's certificate
	 * ({@code null} for an anchor known only by its key).
	 *
	 * @param certificates the path, leaf first, without the anchor
	 * @param anchor the anchor's certificate, or {@code null} if known only by its key
	 */
	record CertificatePath(List<X509Certificate> certificates, @Nullable X509Certificate anchor) {

		X509Certificate leaf() {
			return this.certificates.get(0);
		}

	}

}
