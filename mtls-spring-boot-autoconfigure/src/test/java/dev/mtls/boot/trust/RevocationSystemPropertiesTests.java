package dev.mtls.boot.trust;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RevocationSystemProperties}, each on its own map of properties rather
 * than the JVM's, so that no test depends on another's order.
 */
@ExtendWith(OutputCaptureExtension.class)
class RevocationSystemPropertiesTests {

	private final Map<String, String> system = new HashMap<>();

	private final RevocationSystemProperties properties = new RevocationSystemProperties(this.system::get,
			this.system::put);

	private static OnlineRevocation ocsp(Duration timeout) {
		return new OnlineRevocation(true, false, false, timeout, Duration.ofMinutes(5));
	}

	@Test
	void applyWhenFirstOnlineRevocationThenTimeoutsSet() {
		boolean inForce = this.properties
			.applyOnce(new OnlineRevocation(true, true, false, Duration.ofSeconds(3), Duration.ofMinutes(5)));

		assertThat(inForce).isTrue();
		assertThat(this.system).containsEntry("com.sun.security.ocsp.timeout", "3")
			.containsEntry("com.sun.security.ocsp.readtimeout", "3")
			.containsEntry("com.sun.security.crl.timeout", "3")
			.containsEntry("com.sun.security.crl.readtimeout", "3")
			.containsEntry("com.sun.security.enableCRLDP", "true");
	}

	@Test
	void applyWhenNoOnlineRevocationThenNothingSetAndLaterCallStillSets() {
		this.properties.applyOnce(OnlineRevocation.NONE);

		assertThat(this.system).isEmpty();
		this.properties.applyOnce(ocsp(Duration.ofSeconds(4)));
		assertThat(this.system).containsEntry("com.sun.security.ocsp.timeout", "4");
	}

	@Test
	void applyWhenPropertySetAlreadyThenKept() {
		this.system.put("com.sun.security.ocsp.timeout", "9");

		this.properties.applyOnce(ocsp(Duration.ofSeconds(3)));

		assertThat(this.system).containsEntry("com.sun.security.ocsp.timeout", "9")
			.containsEntry("com.sun.security.crl.timeout", "3");
	}

	@Test
	void applyWhenSameValuesAgainThenNoWarning(CapturedOutput output) {
		this.properties.applyOnce(ocsp(Duration.ofSeconds(3)));

		boolean inForce = this.properties.applyOnce(ocsp(Duration.ofSeconds(3)));

		assertThat(inForce).isTrue();
		assertThat(output).doesNotContain("cannot apply");
	}

	@Test
	void applyWhenDifferentValuesLaterThenWarnedOnceAndValuesUnchanged(CapturedOutput output) {
		this.properties.applyOnce(ocsp(Duration.ofSeconds(3)));

		boolean inForce = this.properties.applyOnce(ocsp(Duration.ofSeconds(7)));
		this.properties
			.applyOnce(new OnlineRevocation(true, true, false, Duration.ofSeconds(8), Duration.ofMinutes(5)));

		assertThat(inForce).isFalse();
		assertThat(this.system).containsEntry("com.sun.security.ocsp.timeout", "3")
			.doesNotContainKey("com.sun.security.enableCRLDP");
		assertThat(output).containsOnlyOnce("cannot apply")
			.contains("com.sun.security.ocsp.timeout=7")
			.contains("set them to {com.sun.security.crl.readtimeout=3");
	}

}
