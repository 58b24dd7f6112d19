package dev.mtls.boot.autoconfigure.actuate;

import java.time.Duration;

/**
 * The mtls health component.
 *
 * @since 0.1.0
 */
public class MtlsHealthProperties {

	/**
	 * How long before a certificate of the identity or trust expires the health lists it
	 * under 'expiringCertificates'.
	 */
	private Duration expiryWarning = Duration.ofDays(14);

	/**
	 * Health status while a certificate expires within the expiry warning, such as UP,
	 * OUT_OF_SERVICE, or a status of your own listed in
	 * 'management.endpoint.health.status.order'.
	 */
	private String expiringStatus = "UP";

	public Duration getExpiryWarning() {
		return this.expiryWarning;
	}

	public void setExpiryWarning(Duration expiryWarning) {
		this.expiryWarning = expiryWarning;
	}

	public String getExpiringStatus() {
		return this.expiringStatus;
	}

	public void setExpiringStatus(String expiringStatus) {
		this.expiringStatus = expiringStatus;
	}

}
