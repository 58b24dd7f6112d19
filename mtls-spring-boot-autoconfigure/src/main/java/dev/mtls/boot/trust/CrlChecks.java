package dev.mtls.boot.trust;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Revocation by configured CRLs: each CRL applies to the certificates of its issuer, and
 * is relied on only when it is genuine and current.
 */
final class CrlChecks {

	private static final String CRL_NUMBER = "2.5.29.20";

	private static final int KEY_USAGE_CRL_SIGN = 6;

	private final List<X509CRL> crls;

	CrlChecks(List<X509CRL> crls) {
		this.crls = List.copyOf(crls);
	}

	/**
	 * Check every certificate of a path against the CRLs of its issuer.
	 * @param path the path, leaf first, without the anchor
	 * @param anchor the trust anchor's certificate, if known
	 * @param date the validation time
	 * @throws CertificateRejectedException if a certificate is revoked or a CRL of its
	 * issuer cannot be relied on
	 */
	void check(List<X509Certificate> path, @Nullable X509Certificate anchor, Date date)
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
			// Two CAs may share a name (a CA re-keyed during a rollover): of the CRLs
			// named after the issuer, those its key signed decide; if it signed none,
			// the certificate cannot be checked and is refused.
			GeneralSecurityException badSignature = null;
			X509CRL unsigned = null;
			boolean checked = false;
			for (X509CRL crl : this.crls) {
				if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
					checkIssuerMaySignCrls(crl, issuer);
					try {
						crl.verify(issuer.getPublicKey());
					}
					catch (GeneralSecurityException ex) {
						badSignature = ex;
						unsigned = crl;
						continue;
					}
					checkCurrent(crl, date);
					checked = true;
					if (crl.isRevoked(certificate)) {
						throw new CertificateRejectedException(Reason.REVOKED,
								CertificateValidator.describe(certificate) + " is revoked by the CRL of '"
										+ crl.getIssuerX500Principal().getName() + "'");
					}
				}
			}
			if (!checked && unsigned != null) {
				throw new CertificateRejectedException(Reason.REVOKED,
						crlName(unsigned) + " has a bad signature (not signed by the key of "
								+ CertificateValidator.describe(issuer) + ")",
						badSignature);
			}
		}
	}

	private static String crlName(X509CRL crl) {
		return "The CRL of '" + crl.getIssuerX500Principal().getName() + "'";
	}

	/**
	 * Return the CRLs a verdict on the path relies on.
	 * @param path the path
	 * @return the CRLs of the path's issuers
	 */
	List<X509CRL> relevantTo(List<X509Certificate> path) {
		return this.crls.stream()
			.filter((crl) -> path.stream()
				.anyMatch((certificate) -> crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())))
			.toList();
	}

	private static void checkIssuerMaySignCrls(X509CRL crl, X509Certificate issuer)
			throws CertificateRejectedException {
		boolean[] keyUsage = issuer.getKeyUsage();
		if (keyUsage != null && (keyUsage.length <= KEY_USAGE_CRL_SIGN || !keyUsage[KEY_USAGE_CRL_SIGN])) {
			throw new CertificateRejectedException(Reason.REVOKED,
					crlName(crl) + " is issued by a CA without cRLSign key usage");
		}
	}

	/**
	 * Refuse to rely on a genuine CRL that is not well-formed and current: an error,
	 * never a silent pass.
	 * @param crl the CRL, its signature verified
	 * @param date the validation time
	 */
	private static void checkCurrent(X509CRL crl, Date date) throws CertificateRejectedException {
		String name = crlName(crl);
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

	/**
	 * Read CRLs (PEM or DER) with the JDK.
	 * @param in the stream
	 * @return the CRLs
	 * @throws IOException if the content is not CRLs
	 */
	static List<X509CRL> read(InputStream in) throws IOException {
		try {
			List<X509CRL> crls = new ArrayList<>();
			for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
				crls.add((X509CRL) crl);
			}
			return crls;
		}
		catch (CRLException | CertificateException ex) {
			throw new IOException("not a CRL: " + ex.getMessage(), ex);
		}
	}

}
