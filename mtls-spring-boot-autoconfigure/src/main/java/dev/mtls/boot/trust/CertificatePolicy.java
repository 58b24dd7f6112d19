package dev.mtls.boot.trust;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What the starter demands of peer certificates beyond a trusted chain
 * ({@code mtls.policy.*}).
 *
 * @param requireClientAuthUsage whether a client certificate with an extended key usage
 * extension must list clientAuth (a server certificate with one, serverAuth)
 * @param minRsaKeySize the smallest RSA key, in bits, accepted anywhere in the path
 * @param minEcKeySize the smallest EC key, in bits, accepted anywhere in the path
 * @param allowSha1 whether SHA-1 (or weaker) signatures are accepted in the path
 * @param maxChainLength the most certificates a path may hold below its trust anchor,
 * leaf included
 * @param checkTrustAnchorValidity whether an expired or not yet valid trust anchor is
 * refused
 * @param strictStructure whether RFC 5280 profile rules the JDK leaves out are enforced:
 * positive serial numbers of at most 20 octets, key identifiers, critical CA basic
 * constraints in anchors, no CA key usage or name constraints in end entities, named EC
 * curves, well-formed extensions; needs BouncyCastle (see {@link #requireSupport})
 * @since 0.1.0
 */
public record CertificatePolicy(boolean requireClientAuthUsage, int minRsaKeySize, int minEcKeySize, boolean allowSha1,
		int maxChainLength, boolean checkTrustAnchorValidity, boolean strictStructure) {

	/**
	 * The defaults: usage checked, RSA 2048, EC 256, no SHA-1, five certificates, anchors
	 * checked, strict structure.
	 */
	public static final CertificatePolicy DEFAULT = new CertificatePolicy(true, 2048, 256, false, 5, true, true);

	/**
	 * A policy that adds nothing to the JDK's PKIX validation, for comparisons.
	 */
	public static final CertificatePolicy NONE = new CertificatePolicy(false, 0, 0, true, Integer.MAX_VALUE, false,
			false);

	/**
	 * The class the strict-structure checks decode extensions with.
	 */
	static final String BOUNCY_CASTLE_CLASS = "org.bouncycastle.asn1.x509.NameConstraints";

	/**
	 * Check that the classes this policy needs are present, so that no rule is skipped
	 * quietly: the strict-structure checks need BouncyCastle.
	 * @param classLoader the class loader of the application, or {@code null} for the
	 * default one
	 * @throws MtlsConfigurationException naming {@code mtls.policy.strict-structure} and
	 * the dependency to add, if strict structure is asked for and BouncyCastle is missing
	 */
	public void requireSupport(@Nullable ClassLoader classLoader) {
		if (this.strictStructure && !ClassUtils.isPresent(BOUNCY_CASTLE_CLASS, classLoader)) {
			throw new MtlsConfigurationException("mtls.policy.strict-structure", "true",
					"the strict-structure checks decode certificate extensions with BouncyCastle, which is not on the "
							+ "class path",
					"Add the dependency org.bouncycastle:bcpkix-jdk18on (the starter brings it: look for an exclusion), "
							+ "or set mtls.policy.strict-structure=false to go without these RFC 5280 checks.");
		}
	}

	public CertificatePolicy withMaxChainLength(int maxChainLength) {
		return new CertificatePolicy(this.requireClientAuthUsage, this.minRsaKeySize, this.minEcKeySize, this.allowSha1,
				maxChainLength, this.checkTrustAnchorValidity, this.strictStructure);
	}

}
