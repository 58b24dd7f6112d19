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
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;

import dev.mtls.boot.monitor.OnceLog;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Revocation by configured CRLs: each CRL applies to the certificates of its issuer, and
 * is relied on only when it is genuine and current.
 */
final class CrlChecks {

	private static final String CRL_NUMBER = "2.5.29.20";

	private static final int KEY_USAGE_CRL_SIGN = 6;

	private static final boolean BOUNCY_CASTLE_PRESENT = ClassUtils.isPresent(CertificatePolicy.BOUNCY_CASTLE_CLASS,
			CrlChecks.class.getClassLoader());

	private static final Log logger = LogFactory.getLog(CrlChecks.class);

	private final List<X509CRL> crls;

	private final OnceLog otherKeyLog = new OnceLog(logger, 1_000);

	CrlChecks(List<X509CRL> crls) {
		this.crls = List.copyOf(crls);
	}

	int size() {
		return this.crls.size();
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
			for (X509CRL crl : this.crls) {
				if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
					if (isForAnotherKey(crl, issuer)) {
						// Two CAs may share a name (a CA re-keyed during a rollover): a
						// CRL whose authority key identifier names another key is that
						// CA's, not this issuer's.
						this.otherKeyLog.warn(crlName(crl) + " " + issuer.getSerialNumber(),
								() -> crlName(crl) + " names another key than that of "
										+ CertificateValidator.describe(issuer)
										+ " (authority key identifier): not used for its certificates");
						continue;
					}
					checkIssuerMaySignCrls(crl, issuer);
					try {
						crl.verify(issuer.getPublicKey());
					}
					catch (GeneralSecurityException ex) {
						throw new CertificateRejectedException(Reason.REVOKED, crlName(crl) + " has a bad signature",
								ex);
					}
					checkCurrent(crl, date);
					if (crl.isRevoked(certificate)) {
						throw new CertificateRejectedException(Reason.REVOKED,
								CertificateValidator.describe(certificate) + " is revoked by the CRL of '"
										+ crl.getIssuerX500Principal().getName() + "'");
					}
				}
			}
		}
	}

	// Only where BouncyCastle reads the identifiers (the starter brings it); without
	// it, every CRL named after the issuer must be signed by its key.
	private static boolean isForAnotherKey(X509CRL crl, X509Certificate issuer) {
		return BOUNCY_CASTLE_PRESENT && KeyIdentifiers.differ(crl, issuer);
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

	/**
	 * Key identifiers read with BouncyCastle: loaded only where it is present.
	 */
	private static final class KeyIdentifiers {

		private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";

		private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

		// Whether both identifiers are there and differ; a malformed one decides
		// nothing, and the signature check refuses what it must.
		static boolean differ(X509CRL crl, X509Certificate issuer) {
			byte[] authority = crl.getExtensionValue(AUTHORITY_KEY_IDENTIFIER);
			byte[] subject = issuer.getExtensionValue(SUBJECT_KEY_IDENTIFIER);
			if (authority == null || subject == null) {
				return false;
			}
			try {
				byte[] crlKey = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(authority))
					.getKeyIdentifierOctets();
				byte[] issuerKey = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(subject))
					.getKeyIdentifier();
				return crlKey != null && !Arrays.equals(crlKey, issuerKey);
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		}

	}

}
