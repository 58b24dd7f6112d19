package dev.mtls.boot.trust;

import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.PKIXRevocationChecker;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Online revocation checking of end-entity certificates with the JDK's
 * {@link PKIXRevocationChecker}: OCSP (responder from the certificate's authority
 * information access), CRLs fetched from its distribution points, or both (OCSP first).
 * Verdicts are cached for {@code cacheTimeToLive}. The JDK reads its timeouts and the
 * switch for fetching CRLs from JVM-wide system properties, which
 * {@link RevocationSystemProperties} sets, once per JVM.
 *
 * @param ocsp whether to ask OCSP responders
 * @param distributionPoints whether to fetch CRLs from distribution points
 * @param softFail whether an unreachable responder or distribution point lets the
 * certificate pass (logged) rather than refusing it
 * @param timeout connect and read timeout of each request
 * @param cacheTimeToLive how long a validation verdict is reused for the same chain
 * @since 0.1.0
 */
public record OnlineRevocation(boolean ocsp, boolean distributionPoints, boolean softFail, Duration timeout,
		Duration cacheTimeToLive) {

	/**
	 * No online checking; verdicts cached for five minutes.
	 */
	public static final OnlineRevocation NONE = new OnlineRevocation(false, false, false, Duration.ofSeconds(5),
			Duration.ofMinutes(5));

	/**
	 * Set the JVM-wide system properties the JDK reads for these options (timeouts, CRL
	 * fetching), once per JVM: a later call asking for other values is logged, since the
	 * JDK has read the first ones already.
	 */
	public void applySystemProperties() {
		RevocationSystemProperties.apply(this);
	}

	/**
	 * Return whether certificates are checked online (OCSP or distribution points), so
	 * that a validation may wait on the network.
	 * @return whether online checking is on
	 */
	public boolean enabled() {
		return this.ocsp || this.distributionPoints;
	}

	PKIXRevocationChecker checker() {
		try {
			PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
				.getRevocationChecker();
			Set<PKIXRevocationChecker.Option> options = EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY);
			if (!this.ocsp) {
				options.add(PKIXRevocationChecker.Option.PREFER_CRLS);
				options.add(PKIXRevocationChecker.Option.NO_FALLBACK);
			}
			else if (!this.distributionPoints) {
				options.add(PKIXRevocationChecker.Option.NO_FALLBACK);
			}
			if (this.softFail) {
				options.add(PKIXRevocationChecker.Option.SOFT_FAIL);
			}
			checker.setOptions(options);
			return checker;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK has no PKIX revocation checker", ex);
		}
	}

}
