package dev.mtls.boot.spiffe;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the link to the SPIFFE Workload API: UP while the SVID in use is valid, with
 * the agent shown as connected or disconnected (the last SVID stays in use while the
 * agent is away), and DOWN once that SVID has expired.
 *
 * @since 0.1.0
 */
public class SpiffeWorkloadApiHealthIndicator extends AbstractHealthIndicator {

	private final SpiffeWorkloadApiSource source;

	private final Clock clock;

	public SpiffeWorkloadApiHealthIndicator(SpiffeWorkloadApiSource source) {
		this(source, Clock.systemUTC());
	}

	SpiffeWorkloadApiHealthIndicator(SpiffeWorkloadApiSource source, Clock clock) {
		super("SPIFFE Workload API health check failed");
		this.source = source;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant expiry = this.source.getSvidExpiry();
		boolean connected = this.source.isConnected();
		if (expiry == null || !expiry.isAfter(this.clock.instant())) {
			builder.down()
				.withDetail("reason", connected ? "the X.509 SVID in use has expired"
						: "the X.509 SVID in use has expired and the agent is unreachable");
		}
		else {
			builder.up();
		}
		builder.withDetail("endpointSocket", this.source.getEndpointSocket())
			.withDetail("agent", connected ? "connected" : "disconnected");
		putIfSet(builder, "spiffeId", this.source.getSpiffeId());
		putIfSet(builder, "svidExpiry", expiry);
		putIfSet(builder, "lastUpdate", this.source.getLastUpdate());
		if (!connected) {
			putIfSet(builder, "lastProblem", this.source.getLastProblem());
		}
	}

	private static void putIfSet(Health.Builder builder, String key, @Nullable Object value) {
		if (value != null) {
			builder.withDetail(key, value);
		}
	}

}
