package dev.mtls.boot.identity;

import dev.mtls.boot.dev.CertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CertificateIdentity}.
 */
class CertificateIdentityTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Test CA");

	@Test
	void ofWhenSubjectHasCommonNameThenNamedByIt() {
		CertificateIdentity identity = CertificateIdentity
			.of(this.ca.certificate("orders, \"eu\"").organizationalUnit("shop").organization("Acme").issue().getCertificate());

		assertThat(identity.getName()).isEqualTo("orders, \"eu\"");
		assertThat(identity.getSubject()).isEqualTo("CN=orders\\, \\\"eu\\\",OU=shop,O=Acme");
		assertThat(identity.getIssuer()).isEqualTo("CN=Test CA");
	}

	@Test
	void ofWhenSubjectHasNoCommonNameThenMissingAttribute() {
		var certificate = this.ca.certificate("x").withoutCommonName().organization("Acme").issue().getCertificate();

		assertThatExceptionOfType(MissingIdentityAttributeException.class)
			.isThrownBy(() -> CertificateIdentity.of(certificate))
			.withMessage("Client certificate 'O=Acme' cannot name a principal: it has no subject common name");
	}

}
