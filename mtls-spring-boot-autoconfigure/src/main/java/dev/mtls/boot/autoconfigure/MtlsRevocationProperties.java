package dev.mtls.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.trust.OnlineRevocation;

/**
 * Revocation checking of peer certificates.
 *
 * @since 0.1.0
 */
public class MtlsRevocationProperties {

	/**
	 * CRL files (PEM or DER), each applying to the certificates of its issuer; a CA
	 * without a CRL is not refused wholesale.
	 */
	private List<String> crls = new ArrayList<>();

	/**
	 * Whether to ask the OCSP responder named in a peer's certificate (authority
	 * information access) whether it is revoked.
	 */
	private boolean ocsp;

	/**
	 * Whether to fetch CRLs from the distribution points named in a peer's certificate.
	 */
	private boolean distributionPoints;

	/**
	 * Whether a peer passes (with a warning) when its OCSP responder or CRL distribution
	 * point cannot be reached, rather than being refused. Such a pass is reused for 30
	 * seconds at most.
	 */
	private boolean softFail;

	/**
	 * Connect and read timeout of OCSP and CRL requests. Applied JVM-wide through the
	 * JDK's system properties unless those are set.
	 */
	private Duration timeout = Duration.ofSeconds(5);

	/**
	 * How long a validation verdict is reused for the same certificate chain (30 seconds
	 * at most with soft-fail).
	 */
	private Duration cacheTtl = Duration.ofMinutes(5);

	public List<String> getCrls() {
		return this.crls;
	}

	public void setCrls(List<String> crls) {
		this.crls = crls;
	}

	public boolean isOcsp() {
		return this.ocsp;
	}

	public void setOcsp(boolean ocsp) {
		this.ocsp = ocsp;
	}

	public boolean isDistributionPoints() {
		return this.distributionPoints;
	}

	public void setDistributionPoints(boolean distributionPoints) {
		this.distributionPoints = distributionPoints;
	}

	public boolean isSoftFail() {
		return this.softFail;
	}

	public void setSoftFail(boolean softFail) {
		this.softFail = softFail;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getCacheTtl() {
		return this.cacheTtl;
	}

	public void setCacheTtl(Duration cacheTtl) {
		this.cacheTtl = cacheTtl;
	}

	public OnlineRevocation toOnlineRevocation() {
		return new OnlineRevocation(this.ocsp, this.distributionPoints, this.softFail, this.timeout, this.cacheTtl);
	}

}
