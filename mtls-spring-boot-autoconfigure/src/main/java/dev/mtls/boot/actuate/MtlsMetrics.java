package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.ForwardedOutcome;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Micrometer meters of mTLS: {@code mtls.authentication} (outcome, reason),
 * {@code mtls.authorization} (decision, rule), {@code mtls.reload} (outcome),
 * {@code mtls.renegotiation.refused} and the {@code mtls.certificate.expiry} gauge in
 * seconds (role, subject, serial). Tags take only values from bounded sets: reasons,
 * configured rules, the service's own certificates.
 *
 * @since 0.1.0
 */
public class MtlsMetrics implements MtlsListener, MeterBinder {

	private static final String AUTHENTICATION = "mtls.authentication";

	private static final String RELOAD = "mtls.reload";

	private static final String FORWARDED = "mtls.forwarded";

	private static final String RENEGOTIATION_REFUSED = "mtls.renegotiation.refused";

	private final MtlsTlsMaterial material;

	// Bound at start-up, read on request threads: one immutable value per registry.
	private final List<Meters> meters = new CopyOnWriteArrayList<>();

	public MtlsMetrics(MtlsTlsMaterial material) {
		this.material = material;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		for (Meters bound : this.meters) {
			if (bound.registry() == registry) {
				return;
			}
		}
		MultiGauge expiry = MultiGauge.builder("mtls.certificate.expiry")
			.description("Seconds until a certificate of the service's identity or trust expires")
			.baseUnit("seconds")
			.register(registry);
		Map<Reason, Counter> refused = new EnumMap<>(Reason.class);
		for (Reason reason : Reason.values()) {
			refused.put(reason, failure(registry, reason.tag()));
		}
		Map<AuthenticationFailure, Counter> failed = new EnumMap<>(AuthenticationFailure.class);
		for (AuthenticationFailure failure : AuthenticationFailure.values()) {
			failed.put(failure, failure(registry, failure.tag()));
		}
		Map<ForwardedOutcome, Counter> forwarded = new EnumMap<>(ForwardedOutcome.class);
		for (ForwardedOutcome outcome : ForwardedOutcome.values()) {
			forwarded.put(outcome, registry.counter(FORWARDED, "outcome", outcome.tag()));
		}
		Meters meters = new Meters(registry, expiry,
				registry.counter(AUTHENTICATION, "outcome", "success", "reason", "success"),
				Collections.unmodifiableMap(refused), Collections.unmodifiableMap(failed),
				registry.counter(RELOAD, "outcome", "success"), registry.counter(RELOAD, "outcome", "failure"),
				Collections.unmodifiableMap(forwarded), registry.counter(RENEGOTIATION_REFUSED),
				new ConcurrentHashMap<>());
		this.meters.add(meters);
		updateExpiry(meters);
	}

	private static Counter failure(MeterRegistry registry, String reason) {
		return registry.counter(AUTHENTICATION, "outcome", "failure", "reason", reason);
	}

	private void updateExpiry(Meters meters) {
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (X509Certificate certificate : this.material.getIdentityChain()) {
			rows.add(row("identity", certificate));
		}
		for (X509Certificate certificate : this.material.getTrustAnchors()) {
			rows.add(row("trust", certificate));
		}
		meters.expiry().register(rows, true);
	}

	private static MultiGauge.Row<?> row(String role, X509Certificate certificate) {
		return MultiGauge.Row.of(
				// The serial too: a CA renewed under its name is trusted twice in a
				// rollover, and one gauge per subject showed only one of them.
				Tags.of("role", role, "subject",
						CertificateText.escape(certificate.getSubjectX500Principal().getName()), "serial",
						certificate.getSerialNumber().toString(16)),
				() -> certificate.getNotAfter().toInstant().getEpochSecond() - Instant.now().getEpochSecond());
	}

	private static <K extends Enum<K>> void increment(Map<K, Counter> counters, K key) {
		Counter counter = counters.get(key);
		Assert.state(counter != null, () -> "No counter for " + key);
		counter.increment();
	}

	@Override
	public void handshakeRefused(X509Certificate leaf, Reason reason, String message) {
		authenticationFailed(reason);
	}

	@Override
	public void renegotiationRefused(@Nullable X509Certificate leaf) {
		for (Meters meters : this.meters) {
			meters.renegotiationRefused().increment();
		}
	}

	@Override
	public void authenticated(CertificateIdentity identity) {
		for (Meters meters : this.meters) {
			meters.success().increment();
		}
	}

	@Override
	public void authenticationFailed(Reason reason) {
		for (Meters meters : this.meters) {
			increment(meters.refused(), reason);
		}
	}

	@Override
	public void authenticationFailed(AuthenticationFailure failure) {
		for (Meters meters : this.meters) {
			increment(meters.failed(), failure);
		}
	}

	@Override
	public void authorizationDecided(String rule, boolean granted) {
		for (Meters meters : this.meters) {
			// Rules come from the configuration, so the cache stays small.
			Decisions decisions = meters.decisions()
				.computeIfAbsent(rule,
						(key) -> new Decisions(
								meters.registry().counter("mtls.authorization", "decision", "granted", "rule", rule),
								meters.registry().counter("mtls.authorization", "decision", "denied", "rule", rule)));
			(granted ? decisions.granted() : decisions.denied()).increment();
		}
	}

	@Override
	public void reloaded(boolean success) {
		for (Meters meters : this.meters) {
			(success ? meters.reloadSuccess() : meters.reloadFailure()).increment();
			if (success) {
				updateExpiry(meters);
			}
		}
	}

	@Override
	public void forwarded(ForwardedOutcome outcome) {
		for (Meters meters : this.meters) {
			increment(meters.forwarded(), outcome);
		}
	}

	/**
	 * The meters of one registry: the counters known in advance, and a cache of those
	 * whose tags come from the configuration (rules).
	 */
	private record Meters(MeterRegistry registry, MultiGauge expiry, Counter success, Map<Reason, Counter> refused,
			Map<AuthenticationFailure, Counter> failed, Counter reloadSuccess, Counter reloadFailure,
			Map<ForwardedOutcome, Counter> forwarded, Counter renegotiationRefused,
			ConcurrentMap<String, Decisions> decisions) {

	}

	/**
	 * The two counters of one authorization rule.
	 */
	private record Decisions(Counter granted, Counter denied) {

	}

}
