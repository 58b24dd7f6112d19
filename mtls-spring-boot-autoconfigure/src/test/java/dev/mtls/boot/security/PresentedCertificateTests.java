package dev.mtls.boot.security;

import java.security.cert.X509Certificate;

import dev.mtls.boot.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PresentedCertificate}.
 */
class PresentedCertificateTests {

	@Test
	void toStringWhenSubjectHoldsNewlineThenNamedEscaped() {
		X509Certificate certificate = CertificateAuthority.create("Test CA")
			.certificate("evil\n1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged")
			.issue()
			.getCertificate();

		String name = new PresentedCertificate(certificate).toString();

		assertThat(name).isEqualTo("CN=evil\\n1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged (serial "
				+ certificate.getSerialNumber().toString(16) + ")");
	}

}
