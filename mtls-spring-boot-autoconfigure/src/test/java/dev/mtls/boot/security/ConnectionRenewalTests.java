package dev.mtls.boot.security;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.Authentication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionRenewal}.
 */
class ConnectionRenewalTests {

	private static final CertificateAuthority CA = CertificateAuthority.create("Renewal CA");

	private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

	@Test
	void isDueWhenShortLivedThenInItsLastQuarter() {
		// An SVID of one hour, renewed by SPIRE after 30 min: due from 45 min.
		X509Certificate svid = certificate(Duration.ofHours(1));

		assertThat(ConnectionRenewal.isDue(svid, at(Duration.ofMinutes(30)))).isFalse();
		assertThat(ConnectionRenewal.isDue(svid, at(Duration.ofMinutes(44)))).isFalse();
		assertThat(ConnectionRenewal.isDue(svid, at(Duration.ofMinutes(45)))).isTrue();
		assertThat(ConnectionRenewal.isDue(svid, at(Duration.ofMinutes(61)))).isTrue();
	}

	@Test
	void isDueWhenLongLivedThenInItsLastHourOnly() {
		X509Certificate yearly = certificate(Duration.ofDays(90));

		assertThat(ConnectionRenewal.isDue(yearly, at(Duration.ofDays(89)))).isFalse();
		assertThat(ConnectionRenewal.isDue(yearly, at(Duration.ofDays(90).minusMinutes(61)))).isFalse();
		assertThat(ConnectionRenewal.isDue(yearly, at(Duration.ofDays(90).minusMinutes(60)))).isTrue();
	}

	@Test
	void isDueWhenAuthenticatedThenFromIdentityDatesAsFromCertificate() {
		X509Certificate svid = certificate(Duration.ofHours(1));
		Authentication authentication = new CertificateAuthentication(CertificateIdentity.of(svid), List.of());

		for (Duration since : new Duration[] { Duration.ofMinutes(44), Duration.ofMinutes(45),
				Duration.ofMinutes(45).minusMillis(1), Duration.ofMinutes(61) }) {
			assertThat(ConnectionRenewal.isDue(authentication, svid, at(since)))
				.isEqualTo(ConnectionRenewal.isDue(svid, at(since)));
		}
		assertThat(ConnectionRenewal.isDue(authentication, svid, at(Duration.ofMinutes(45)))).isTrue();
		assertThat(ConnectionRenewal.isDue(authentication, svid, at(Duration.ofMinutes(44)))).isFalse();
	}

	@Test
	void isDueWhenAuthenticationIsNotTheCertificatesThenFromCertificate() {
		X509Certificate svid = certificate(Duration.ofHours(1));
		Authentication yearly = new CertificateAuthentication(CertificateIdentity.of(certificate(Duration.ofDays(365))),
				List.of());

		// Due for the one-hour certificate, not for the yearly identity.
		assertThat(ConnectionRenewal.isDue(yearly, svid, at(Duration.ofMinutes(50)))).isTrue();
		assertThat(ConnectionRenewal.isDue(null, svid, at(Duration.ofMinutes(50)))).isTrue();
		assertThat(ConnectionRenewal.isDue(null, svid, at(Duration.ofMinutes(40)))).isFalse();
	}

	private static X509Certificate certificate(Duration validity) {
		return CA.certificate("client").clientAuth().validity(START, START.plus(validity)).issue().getCertificate();
	}

	private static long at(Duration sinceStart) {
		return START.plus(sinceStart).toEpochMilli();
	}

}
