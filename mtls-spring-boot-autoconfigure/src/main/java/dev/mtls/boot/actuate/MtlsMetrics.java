package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.MtlsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of mTLS: {@code mtls.authentication} (outcome, reason),
 * {@code mtls.authorization} (decision, rule), {@code mtls.reload} (outcome) and the
 * {@code mtls.certificate.expiry} gauge in seconds (role, subject). Tags take only values
 * from bounded sets: reasons, configured rules, the service's own certificates.
 *
 * @since 0.1.0
 */
public class MtlsMetrics implements MtlsListener, MeterBinder {

	private final MtlsTlsMaterial material;

	private @Nullable MeterRegistry registry;

	private @Nullable MultiGauge expiry;

	private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

	public MtlsMetrics(MtlsTlsMaterial material) {
		this.material = material;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.expiry = MultiGauge.builder("mtls.certificate.expiry")
			.description("Seconds until a certificate of the service's identity or trust expires")
			.baseUnit("seconds")
			.register(registry);
		Counter.builder("mtls.authentication").tags("outcome", "success", "reason", "success").register(registry);
		updateExpiry();
	}

	private void updateExpiry() {
		MultiGauge expiry = this.expiry;
		if (expiry == null) {
			return;
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (X509Certificate certificate : this.material.getIdentityChain()) {
			rows.add(row("identity", certificate));
		}
		for (X509Certificate certificate : this.material.getTrustAnchors()) {
			rows.add(row("trust", certificate));
		}
		expiry.register(rows, true);
	}

	private static MultiGauge.Row<?> row(String role, X509Certificate certificate) {
		return MultiGauge.Row.of(
				Tags.of("role", role, "subject", CertificateText.escape(certificate.getSubjectX500Principal().getName())),
				() -> certificate.getNotAfter().toInstant().getEpochSecond() - Instant.now().getEpochSecond());
	}

	private void count(String name, String... tags) {
		MeterRegistry registry = this.registry;
		if (registry != null) {
			// Tag values come from bounded sets, so the cache stays small.
			this.counters.computeIfAbsent(name + String.join(",", tags), (key) -> registry.counter(name, tags)).increment();
		}
	}

	@Override
	public void handshakeRefused(X509Certificate leaf, String reason, String message) {
		count("mtls.authentication", "outcome", "failure", "reason", reason);
	}

	@Override
	public void authenticated(CertificateIdentity identity) {
		count("mtls.authentication", "outcome", "success", "reason", "success");
	}

	@Override
	public void authenticationFailed(String reason) {
		count("mtls.authentication", "outcome", "failure", "reason", reason);
	}

	@Override
	public void authorizationDecided(String rule, boolean granted) {
		count("mtls.authorization", "decision", granted ? "granted" : "denied", "rule", rule);
	}

	@Override
	public void reloaded(boolean success) {
		count("mtls.reload", "outcome", success ? "success" : "failure");
		if (success) {
			updateExpiry();
		}
	}

}
