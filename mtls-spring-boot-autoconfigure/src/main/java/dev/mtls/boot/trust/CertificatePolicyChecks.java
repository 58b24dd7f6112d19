package dev.mtls.boot.trust;

import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Applies the usage, key size, signature and anchor validity rules of a
 * {@link CertificatePolicy} to a built path.
 */
final class CertificatePolicyChecks {

	static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

	private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

	private final CertificatePolicy policy;

	CertificatePolicyChecks(CertificatePolicy policy) {
		this.policy = policy;
	}

	/**
	 * Check a path against the policy.
	 * @param path the path, leaf first, without the anchor
	 * @param anchor the trust anchor's certificate, if known
	 * @param purpose the extended key usage the leaf must allow ({@link #CLIENT_AUTH} or
	 * {@link #SERVER_AUTH})
	 * @param date the validation time
	 * @throws CertificateRejectedException if the path breaks the policy
	 */
	void check(List<X509Certificate> path, @Nullable X509Certificate anchor, String purpose, Date date)
			throws CertificateRejectedException {
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
				throw new CertificateRejectedException(Reason.POLICY, CertificateValidator.describe(leaf)
						+ " has extended key usages " + usages + " without " + purposeName(purpose));
			}
			if (usages != null && usages.contains(ANY_EXTENDED_KEY_USAGE)) {
				throw new CertificateRejectedException(Reason.POLICY, CertificateValidator.describe(leaf)
						+ " allows any extended key usage; it must name " + purposeName(purpose) + " only");
			}
		}
		catch (CertificateParsingException ex) {
			throw new CertificateRejectedException(Reason.POLICY,
					CertificateValidator.describe(leaf) + " has a malformed extended key usage", ex);
		}
	}

	private void checkKey(X509Certificate certificate) throws CertificateRejectedException {
		PublicKey key = certificate.getPublicKey();
		if (key instanceof RSAPublicKey rsa) {
			int bits = rsa.getModulus().bitLength();
			if (bits < this.policy.minRsaKeySize() || (this.policy.minRsaKeySize() > 0 && bits % 8 != 0)) {
				throw new CertificateRejectedException(Reason.POLICY,
						CertificateValidator.describe(certificate) + " has a " + bits + "-bit RSA key; at least "
								+ this.policy.minRsaKeySize() + " bits, a multiple of 8, are required");
			}
		}
		else if (key instanceof ECPublicKey ec) {
			int bits = ec.getParams().getCurve().getField().getFieldSize();
			if (bits < this.policy.minEcKeySize()) {
				throw new CertificateRejectedException(Reason.POLICY,
						CertificateValidator.describe(certificate) + " has a " + bits + "-bit EC key; at least "
								+ this.policy.minEcKeySize() + " bits are required");
			}
		}
		else if (key instanceof DSAPublicKey && this.policy.minRsaKeySize() > 0) {
			throw new CertificateRejectedException(Reason.POLICY,
					CertificateValidator.describe(certificate) + " has a DSA key, which is not accepted");
		}
	}

	private void checkSignature(X509Certificate certificate) throws CertificateRejectedException {
		String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
		if (!this.policy.allowSha1()
				&& (algorithm.contains("SHA1") || algorithm.startsWith("MD5") || algorithm.startsWith("MD2"))) {
			throw new CertificateRejectedException(Reason.POLICY, CertificateValidator.describe(certificate)
					+ " is signed with " + certificate.getSigAlgName() + "; SHA-1 and weaker are refused");
		}
	}

	private static void checkValidity(X509Certificate certificate, Date date, String role)
			throws CertificateRejectedException {
		try {
			certificate.checkValidity(date);
		}
		catch (CertificateExpiredException | CertificateNotYetValidException ex) {
			throw new CertificateRejectedException(Reason.EXPIRED, "The " + role + " "
					+ CertificateValidator.describe(certificate) + " is not valid at " + date.toInstant(), ex);
		}
	}

}
