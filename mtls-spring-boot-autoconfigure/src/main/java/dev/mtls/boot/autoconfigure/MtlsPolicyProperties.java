package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.trust.CertificatePolicy;

/**
 * What peer certificates must satisfy beyond a trusted chain.
 *
 * @since 0.1.0
 */
public class MtlsPolicyProperties {

	/**
	 * Whether a client certificate with an extended key usage extension must list
	 * clientAuth (a server certificate, serverAuth), and 'any' usage is refused.
	 */
	private boolean requireClientAuthUsage = true;

	/**
	 * Smallest RSA key, in bits, accepted anywhere in a peer's path (trust anchor
	 * included).
	 */
	private int minRsaKeySize = 2048;

	/**
	 * Smallest EC key, in bits, accepted anywhere in a peer's path.
	 */
	private int minEcKeySize = 256;

	/**
	 * Whether SHA-1 (or weaker) signatures are accepted in a peer's path.
	 */
	private boolean allowSha1;

	/**
	 * Most certificates a peer's path may hold below its trust anchor, leaf included.
	 */
	private int maxChainLength = 5;

	/**
	 * Whether an expired or not yet valid trust anchor is refused.
	 */
	private boolean checkTrustAnchorValidity = true;

	/**
	 * Whether RFC 5280 profile rules the JDK leaves out are enforced: serial numbers, key
	 * identifiers, CA extensions of trust anchors, no CA key usage or name constraints in
	 * end entities, named EC curves, well-formed extensions.
	 */
	private boolean strictStructure = true;

	public boolean isRequireClientAuthUsage() {
		return this.requireClientAuthUsage;
	}

	public void setRequireClientAuthUsage(boolean requireClientAuthUsage) {
		this.requireClientAuthUsage = requireClientAuthUsage;
	}

	public int getMinRsaKeySize() {
		return this.minRsaKeySize;
	}

	public void setMinRsaKeySize(int minRsaKeySize) {
		this.minRsaKeySize = minRsaKeySize;
	}

	public int getMinEcKeySize() {
		return this.minEcKeySize;
	}

	public void setMinEcKeySize(int minEcKeySize) {
		this.minEcKeySize = minEcKeySize;
	}

	public boolean isAllowSha1() {
		return this.allowSha1;
	}

	public void setAllowSha1(boolean allowSha1) {
		this.allowSha1 = allowSha1;
	}

	public int getMaxChainLength() {
		return this.maxChainLength;
	}

	public void setMaxChainLength(int maxChainLength) {
		this.maxChainLength = maxChainLength;
	}

	public boolean isCheckTrustAnchorValidity() {
		return this.checkTrustAnchorValidity;
	}

	public void setCheckTrustAnchorValidity(boolean checkTrustAnchorValidity) {
		this.checkTrustAnchorValidity = checkTrustAnchorValidity;
	}

	public boolean isStrictStructure() {
		return this.strictStructure;
	}

	public void setStrictStructure(boolean strictStructure) {
		this.strictStructure = strictStructure;
	}

	public CertificatePolicy toCertificatePolicy() {
		return new CertificatePolicy(this.requireClientAuthUsage, this.minRsaKeySize, this.minEcKeySize, this.allowSha1,
				this.maxChainLength, this.checkTrustAnchorValidity, this.strictStructure);
	}

}
