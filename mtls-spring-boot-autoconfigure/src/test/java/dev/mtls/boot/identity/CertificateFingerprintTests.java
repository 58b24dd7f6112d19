package dev.mtls.boot.identity;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import dev.mtls.boot.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CertificateFingerprint}.
 */
class CertificateFingerprintTests {

	@Test
	void sha256WhenCertificateThenLowerCaseHexOfDerDigest() throws Exception {
		X509Certificate certificate = CertificateAuthority.create("Test CA")
			.certificate("alice")
			.issue()
			.getCertificate();

		String fingerprint = CertificateFingerprint.sha256(certificate);

		assertThat(fingerprint).matches("[0-9a-f]{64}")
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
	}

}
