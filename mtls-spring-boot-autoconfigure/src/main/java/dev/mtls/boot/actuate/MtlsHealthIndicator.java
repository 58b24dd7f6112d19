package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mtls.boot.tls.MtlsTlsMaterial;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code mtls} health component: DOWN when the identity is expired or not yet valid
 * or the last reload failed, {@code WARNING} when a certificate of the identity chain or
 * trust expires within {@code mtls.health.expiry-warning}, otherwise UP; details list the
 * chain and the trust anchors with days left.
 *
 * @since 0.1.0
 */
public class MtlsHealthIndicator extends AbstractHealthIndicator {

	/**
	 * The status of material that works now but expires soon.
	 */
	public static final Status WARNING = new Status("WARNING", "A certificate expires soon");

	private final MtlsTlsMaterial material;

	private final Duration expiryWarning;

	public MtlsHealthIndicator(MtlsTlsMaterial material, Duration expiryWarning) {
		super("mTLS health check failed");
		this.material = material;
		this.expiryWarning = expiryWarning;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant now = Instant.now();
		List<X509Certificate> chain = this.material.getIdentityChain();
		List<X509Certificate> anchors = this.material.getTrustAnchors();
		builder.withDetail("identity", CertificateDescriptions.brief(chain, now))
			.withDetail("trustAnchors", CertificateDescriptions.brief(anchors, now));
		String lastFailure = this.material.getLastReloadFailure();
		if (!chain.isEmpty() && (chain.get(0).getNotAfter().toInstant().isBefore(now)
				|| chain.get(0).getNotBefore().toInstant().isAfter(now))) {
			builder.down().withDetail("reason", "the identity certificate is not valid now");
		}
		else if (lastFailure != null) {
			builder.down().withDetail("reason", "the last reload failed: " + lastFailure);
		}
		else if (expiresSoon(chain, now) || expiresSoon(anchors, now)) {
			builder.status(WARNING).withDetail("reason", "a certificate expires within " + this.expiryWarning);
		}
		else {
			builder.up();
		}
	}

	private boolean expiresSoon(List<X509Certificate> certificates, Instant now) {
		Instant limit = now.plus(this.expiryWarning);
		return certificates.stream().anyMatch((certificate) -> certificate.getNotAfter().toInstant().isBefore(limit));
	}

}
