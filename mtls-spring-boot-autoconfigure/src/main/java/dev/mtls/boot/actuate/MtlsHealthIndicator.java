package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.security.auth.x500.X500Principal;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code mtls} health component, shaped like Spring Boot's {@code ssl} one: DOWN when
 * the identity or a CA certificate of its chain is expired or not yet valid or the last
 * reload failed, otherwise UP (or the configured expiring status) with the certificates
 * of the identity chain and trust that expire within {@code mtls.health.expiry-warning}
 * (unless set: 14 days, or the last quarter of their lifetime where that is shorter)
 * listed under {@code expiringCertificates}.
 *
 * @since 0.1.0
 */
public class MtlsHealthIndicator extends AbstractHealthIndicator {

	private final MtlsTlsMaterial material;

	/**
	 * The expiry warning unless one is set: 14 days, or the last quarter of a
	 * certificate's lifetime where that is shorter.
	 */
	public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(14);

	private final @Nullable Duration expiryWarning;

	private final Status expiringStatus;

	private final Clock clock;

	/**
	 * Create an indicator that reports expiring certificates in its details only.
	 * @param material the TLS material
	 * @param expiryWarning how long before its expiry a certificate is listed as
	 * expiring, or {@code null} for the default ({@link #DEFAULT_EXPIRY_WARNING}, or the
	 * last quarter of the certificate's lifetime where that is shorter)
	 */
	public MtlsHealthIndicator(MtlsTlsMaterial material, @Nullable Duration expiryWarning) {
		this(material, expiryWarning, Status.UP);
	}

	/**
	 * Create an indicator that reports a status of its own while a certificate expires
	 * soon.
	 * @param material the TLS material
	 * @param expiryWarning how long before its expiry a certificate is listed as
	 * expiring, or {@code null} for the default
	 * @param expiringStatus the status while one is, such as {@link Status#UP} or
	 * {@link Status#OUT_OF_SERVICE}
	 */
	public MtlsHealthIndicator(MtlsTlsMaterial material, @Nullable Duration expiryWarning, Status expiringStatus) {
		this(material, expiryWarning, expiringStatus, Clock.systemUTC());
	}

	MtlsHealthIndicator(MtlsTlsMaterial material, @Nullable Duration expiryWarning, Status expiringStatus,
			Clock clock) {
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
		List<X509Certificate> expiring = Stream.concat(chain.stream(), anchors.stream())
			.filter((certificate) -> isExpiring(certificate, now))
			.toList();
		X509Certificate invalid = firstInvalid(chain, anchors, now);
		String lastFailure = this.material.getLastReloadFailure();
		if (invalid != null) {
			builder.down()
				.withDetail("reason",
						(invalid == chain.get(0)) ? "the identity certificate is not valid now"
								: "a CA certificate of the identity chain is not valid now, so peers refuse the chain: "
										+ CertificateText.escape(invalid.getSubjectX500Principal().getName()));
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

	// Within the expiry warning; by default 14 days, or the last quarter of its lifetime
	// where that is shorter: SPIRE's one-hour SVIDs and day-long CAs are always within 14
	// days of their end, and are renewed long before their last quarter.
	private boolean isExpiring(X509Certificate certificate, Instant now) {
		Instant notAfter = certificate.getNotAfter().toInstant();
		Duration warning = this.expiryWarning;
		if (warning == null) {
			Duration quarter = Duration.between(certificate.getNotBefore().toInstant(), notAfter).dividedBy(4);
			warning = (quarter.compareTo(DEFAULT_EXPIRY_WARNING) < 0) ? quarter : DEFAULT_EXPIRY_WARNING;
		}
		return notAfter.isBefore(now.plus(warning));
	}

	// The leaf, or a CA certificate peers validate: up to the first whose issuer is one
	// of our trust anchors, where a peer's path ends (a cross-certificate sent after it
	// is not used), and never a self-signed one, a trust anchor to a peer that trusts it.
	private static @Nullable X509Certificate firstInvalid(List<X509Certificate> chain, List<X509Certificate> anchors,
			Instant now) {
		Set<X500Principal> anchorSubjects = new HashSet<>();
		anchors.forEach((anchor) -> anchorSubjects.add(anchor.getSubjectX500Principal()));
		for (int i = 0; i < chain.size(); i++) {
			X509Certificate certificate = chain.get(i);
			boolean selfSigned = i > 0
					&& certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
			if (!selfSigned && !isValid(certificate, now)) {
				return certificate;
			}
			if (anchorSubjects.contains(certificate.getIssuerX500Principal())) {
				return null;
			}
		}
		return null;
	}

	private static boolean isValid(X509Certificate certificate, Instant now) {
		return !certificate.getNotAfter().toInstant().isBefore(now)
				&& !certificate.getNotBefore().toInstant().isAfter(now);
	}

}
