package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.mtls.boot.tls.MtlsTlsMaterial;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code mtls} health component, shaped like Spring Boot's {@code ssl} one: DOWN when
 * the identity is expired or not yet valid or the last reload failed, otherwise UP (or
 * the configured expiring status) with the certificates of the identity chain and trust
 * that expire within {@code mtls.health.expiry-warning} listed under
 * {@code expiringCertificates}.
 *
 * @since 0.1.0
 */
public class MtlsHealthIndicator extends AbstractHealthIndicator {

	private final MtlsTlsMaterial material;

	private final Duration expiryWarning;

	private final Status expiringStatus;

	private final Clock clock;

	/**
	 * Create an indicator that reports expiring certificates in its details only.
	 * @param material the TLS material
	 * @param expiryWarning how long before its expiry a certificate is listed as expiring
	 */
	public MtlsHealthIndicator(MtlsTlsMaterial material, Duration expiryWarning) {
		this(material, expiryWarning, Status.UP);
	}

	/**
	 * Create an indicator that reports a status of its own while a certificate expires
	 * soon.
	 * @param material the TLS material
	 * @param expiryWarning how long before its expiry a certificate is listed as expiring
	 * @param expiringStatus the status while one is, such as {@link Status#UP} or
	 * {@link Status#OUT_OF_SERVICE}
	 */
	public MtlsHealthIndicator(MtlsTlsMaterial material, Duration expiryWarning, Status expiringStatus) {
		this(material, expiryWarning, expiringStatus, Clock.systemUTC());
	}

	MtlsHealthIndicator(MtlsTlsMaterial material, Duration expiryWarning, Status expiringStatus, Clock clock) {
		super("mTLS health check failed");
		this.material = material;
		this.expiryWarning = expiryWarning;
		this.expiringStatus = expiringStatus;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant now = this.clock.instant();
		List<X509Certificate> chain = this.material.getIdentityChain();
		List<X509Certificate> anchors = this.material.getTrustAnchors();
		Instant limit = now.plus(this.expiryWarning);
		List<X509Certificate> expiring = Stream.concat(chain.stream(), anchors.stream())
			.filter((certificate) -> certificate.getNotAfter().toInstant().isBefore(limit))
			.toList();
		String lastFailure = this.material.getLastReloadFailure();
		if (!chain.isEmpty() && !isValid(chain.get(0), now)) {
			builder.down().withDetail("reason", "the identity certificate is not valid now");
		}
		else if (lastFailure != null) {
			builder.down().withDetail("reason", "the last reload failed: " + lastFailure);
		}
		else {
			builder.status(expiring.isEmpty() ? Status.UP : this.expiringStatus);
		}
		builder.withDetail("identity", CertificateDescriptions.brief(chain, now))
			.withDetail("trustAnchors", CertificateDescriptions.brief(anchors, now))
			.withDetail("expiringCertificates", CertificateDescriptions.brief(expiring, now));
	}

	private static boolean isValid(X509Certificate certificate, Instant now) {
		return !certificate.getNotAfter().toInstant().isBefore(now)
				&& !certificate.getNotBefore().toInstant().isAfter(now);
	}

}
