package dev.mtls.boot.autoconfigure.actuate;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The mtls health component.
 *
 * @since 0.1.0
 */
public class MtlsHealthProperties {

	/**
	 * How long before a certificate of the identity or trust expires the health lists it
	 * under 'expiringCertificates'. Unless set: 14 days, or the last quarter of the
	 * certificate's lifetime where that is shorter (short-lived certificates such as
	 * SPIFFE SVIDs).
	 */
	private @Nullable Duration expiryWarning;

	/**
	 * Health status while a certificate expires within the expiry warning, such as UP,
	 * OUT_OF_SERVICE, or a status of your own listed in
	 * 'management.endpoint.health.status.order'.
	 */
	private String expiringStatus = "UP";

	public @Nullable Duration getExpiryWarning() {
		return this.expiryWarning;
	}

	public void setExpiryWarning(@Nullable Duration expiryWarning) {
		this.expiryWarning = expiryWarning;
	}

	public String getExpiringStatus() {
		return this.expiringStatus;
	}

	public void setExpiringStatus(String expiringStatus) {
		this.expiringStatus = expiringStatus;
	}

}
