package dev.mtls.boot.trust;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * RFC 5280 profile rules that the JDK's path validation leaves out
 * ({@code mtls.policy.strict-structure}): serial numbers, key identifiers, CA extensions
 * of anchors, key usage and name constraints of end entities, key usage of a CA in leaf
 * position, criticality of policy constraints, well-formed authority information access
 * and name constraints, named elliptic curves, a non-critical SAN beside a subject, and
 * the rules of {@link NameChecks}; extensions are decoded by BouncyCastle.
 */
final class StructureChecks {

	private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";

	private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

	private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";

	private static final String NAME_CONSTRAINTS = "2.5.29.30";

	private static final String AUTHORITY_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.1";

	private static final String BASIC_CONSTRAINTS = "2.5.29.19";

	private static final String POLICY_CONSTRAINTS = "2.5.29.36";

	private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

	private StructureChecks() {
	}

	/**
	 * Check a built path and its anchor.
	 * @param path the path, leaf first, without the anchor
	 * @param anchor the trust anchor's certificate, if known
	 * @throws CertificateRejectedException if a certificate breaks a rule
	 */
	static void check(List<X509Certificate> path, @Nullable X509Certificate anchor)
			throws CertificateRejectedException {
		checkExtensions(path, anchor);
		checkProfile(path, anchor);
		NameChecks.check(path, anchor);
	}

	private static void checkExtensions(List<X509Certificate> path, @Nullable X509Certificate anchor)
			throws CertificateRejectedException {
		for (int i = 0; i < path.size(); i++) {
			X509Certificate certificate = path.get(i);
			boolean leaf = i == 0;
			checkCommon(certificate);
			if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
					&& extension(certificate, AUTHORITY_KEY_IDENTIFIER) == null) {
				throw reject(certificate, "has no authority key identifier");
			}
			if (!leaf && extension(certificate, SUBJECT_KEY_IDENTIFIER) == null) {
				throw reject(certificate, "is a CA without a subject key identifier");
			}
			if (leaf && critical(certificate, SUBJECT_ALTERNATIVE_NAME)
					&& !certificate.getSubjectX500Principal().getName().isEmpty()) {
				throw reject(certificate, "marks its subject alternative names critical beside a non-empty subject");
			}
		}
		if (anchor != null && !path.contains(anchor)) {
			checkCommon(anchor);
			boolean selfIssued = anchor.getSubjectX500Principal().equals(anchor.getIssuerX500Principal());
			byte[] subjectKeyIdentifier = extension(anchor, SUBJECT_KEY_IDENTIFIER);
			if (subjectKeyIdentifier == null) {
				throw reject(anchor, "is a trust anchor without a subject key identifier");
			}
			if (!allowsCertificateSigning(anchor)) {
				throw reject(anchor, "is a trust anchor whose key usage does not allow signing certificates");
			}
			byte[] authorityKeyIdentifier = extension(anchor, AUTHORITY_KEY_IDENTIFIER);
			if (authorityKeyIdentifier != null) {
				AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(authorityKeyIdentifier);
				byte[] keyIdentifier = (aki.getKeyIdentifierObject() != null) ? aki.getKeyIdentifierObject().getOctets()
						: null;
				if (keyIdentifier == null || aki.getAuthorityCertIssuer() != null
						|| aki.getAuthorityCertSerialNumber() != null || (selfIssued && !Arrays.equals(keyIdentifier,
								SubjectKeyIdentifier.getInstance(subjectKeyIdentifier).getKeyIdentifier()))) {
					throw reject(anchor,
							"is a trust anchor whose authority key identifier is not just its own key identifier");
				}
			}
		}
	}

	private static void checkProfile(List<X509Certificate> path, @Nullable X509Certificate anchor)
			throws CertificateRejectedException {
		X509Certificate leaf = path.get(0);
		for (X509Certificate certificate : path) {
			BigInteger serial = certificate.getSerialNumber();
			if (serial.signum() <= 0 || serial.bitLength() > 159) {
				throw new CertificateRejectedException(Reason.POLICY, CertificateValidator.describe(certificate)
						+ " has a serial number that is not a positive number of at most 20 octets");
			}
			Set<String> critical = certificate.getNonCriticalExtensionOIDs();
			if (certificate != leaf && critical != null && critical.contains(POLICY_CONSTRAINTS)) {
				throw new CertificateRejectedException(Reason.POLICY,
						CertificateValidator.describe(certificate) + " has non-critical policy constraints");
			}
		}
		if (leaf.getBasicConstraints() < 0) {
			boolean[] keyUsage = leaf.getKeyUsage();
			if (keyUsage != null && keyUsage.length > KEY_USAGE_KEY_CERT_SIGN && keyUsage[KEY_USAGE_KEY_CERT_SIGN]) {
				throw new CertificateRejectedException(Reason.POLICY,
						CertificateValidator.describe(leaf) + " may sign certificates (keyCertSign) but is not a CA");
			}
			if (leaf.getExtensionValue(NAME_CONSTRAINTS) != null) {
				throw new CertificateRejectedException(Reason.POLICY,
						CertificateValidator.describe(leaf) + " has name constraints but is not a CA");
			}
		}
		else if (!leaf.equals(anchor) && !allowsCertificateSigning(leaf)) {
			// Basic constraints say a CA, key usage says it may not sign certificates (a
			// trusted certificate presented as itself is checked as a leaf only).
			throw new CertificateRejectedException(Reason.POLICY, CertificateValidator.describe(leaf)
					+ " is a CA (basic constraints) whose key usage does not allow signing certificates");
		}
		// By equality, not identity: a handshake presents its own copy of a pinned
		// certificate, the same object only while the JDK's certificate factory still
		// caches it.
		if (anchor != null && !anchor.equals(leaf)) {
			Set<String> critical = anchor.getCriticalExtensionOIDs();
			if (anchor.getBasicConstraints() < 0 || critical == null || !critical.contains(BASIC_CONSTRAINTS)) {
				throw new CertificateRejectedException(Reason.POLICY, "The trust anchor "
						+ CertificateValidator.describe(anchor) + " lacks critical CA basic constraints");
			}
			if (anchor.hasUnsupportedCriticalExtension()) {
				throw new CertificateRejectedException(Reason.POLICY, "The trust anchor "
						+ CertificateValidator.describe(anchor) + " has an unsupported critical extension");
			}
		}
	}

	private static void checkCommon(X509Certificate certificate) throws CertificateRejectedException {
		if (critical(certificate, AUTHORITY_KEY_IDENTIFIER) || critical(certificate, SUBJECT_KEY_IDENTIFIER)) {
			throw reject(certificate, "marks a key identifier critical");
		}
		try {
			byte[] aia = extension(certificate, AUTHORITY_INFORMATION_ACCESS);
			if (aia != null) {
				AuthorityInformationAccess.getInstance(aia).getAccessDescriptions();
			}
			byte[] nameConstraints = extension(certificate, NAME_CONSTRAINTS);
			if (nameConstraints != null) {
				NameConstraints constraints = NameConstraints.getInstance(nameConstraints);
				if (isEmpty(constraints.getPermittedSubtrees()) && isEmpty(constraints.getExcludedSubtrees())) {
					throw reject(certificate, "has name constraints that constrain nothing");
				}
			}
			if ("EC".equals(certificate.getPublicKey().getAlgorithm())
					&& !(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded())
						.getAlgorithm()
						.getParameters() instanceof ASN1ObjectIdentifier)) {
				throw reject(certificate, "has an EC key with explicit curve parameters rather than a named curve");
			}
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new CertificateRejectedException(Reason.POLICY,
					CertificateValidator.describe(certificate) + " has a malformed extension: " + ex.getMessage(), ex);
		}
	}

	private static boolean allowsCertificateSigning(X509Certificate certificate) {
		boolean[] keyUsage = certificate.getKeyUsage();
		return keyUsage == null || (keyUsage.length > KEY_USAGE_KEY_CERT_SIGN && keyUsage[KEY_USAGE_KEY_CERT_SIGN]);
	}

	private static boolean isEmpty(Object @Nullable [] subtrees) {
		return subtrees == null || subtrees.length == 0;
	}

	private static boolean critical(X509Certificate certificate, String oid) {
		Set<String> critical = certificate.getCriticalExtensionOIDs();
		return critical != null && critical.contains(oid);
	}

	/**
	 * Return the DER content of an extension, unwrapped from its OCTET STRING.
	 * @param certificate the certificate
	 * @param oid the extension's object identifier
	 * @return the content, or {@code null} if the certificate has no such extension
	 */
	static byte @Nullable [] extension(X509Certificate certificate, String oid) {
		byte[] value = certificate.getExtensionValue(oid);
		return (value != null) ? ASN1OctetString.getInstance(value).getOctets() : null;
	}

	/**
	 * Return the refusal of a certificate by the policy, naming it.
	 * @param certificate the certificate
	 * @param problem what is wrong with it, a sentence's predicate
	 * @return the exception to throw
	 */
	static CertificateRejectedException reject(X509Certificate certificate, String problem) {
		return new CertificateRejectedException(Reason.POLICY,
				CertificateValidator.describe(certificate) + " " + problem);
	}

}
