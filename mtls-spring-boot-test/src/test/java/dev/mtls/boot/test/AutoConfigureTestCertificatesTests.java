package dev.mtls.boot.test;

import java.security.cert.X509Certificate;

import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The annotation replaces the material the application configures (see
 * {@code application.properties}: a key store and trust files that do not exist) with the
 * test CA's, and says so once.
 */
@SpringBootTest(properties = { "mtls.revocation.crls=file:/nonexistent/ca.crl", "mtls.revocation.ocsp=true",
		"mtls.revocation.distribution-points=true" })
@AutoConfigureTestCertificates
@ExtendWith(OutputCaptureExtension.class)
class AutoConfigureTestCertificatesTests {

	@Autowired
	MtlsTlsMaterial material;

	@Autowired
	TestCertificates certificates;

	@Autowired
	Environment environment;

	@Test
	void materialWhenAnnotatedThenTestCaServerIdentityAndTrust() {
		assertThat(this.material.getIdentityChain())
			.containsExactlyElementsOf(this.certificates.getServerCertificate().getChain());
		assertThat(this.material.getTrustAnchors())
			.containsExactly(this.certificates.getAuthority().getCaCertificate());
		assertThat(this.environment.getProperty("mtls.identity.certificate")).isEqualTo("mtls-test:server.crt");
		assertThat(this.environment.getProperty("mtls.identity.keystore.location")).isEmpty();
	}

	@Test
	void startUpWhenApplicationConfiguresMaterialThenOneLineNamesWhatIsOverridden(CapturedOutput output) {
		// The capture starts before the class's context (its own: no other test class has
		// these properties) is created.
		assertThat(this.certificates).isNotNull();
		assertThat(output.getAll()).containsOnlyOnce("mTLS identity and trust come from an in-memory test CA "
				+ "'CN=mtls Test Root CA'; overridden: mtls.identity.keystore.location, mtls.trust.certificates, "
				+ "mtls.revocation.crls, mtls.revocation.ocsp, mtls.revocation.distribution-points");
	}

	@Test
	void revocationWhenApplicationChecksOnlineThenPersonasStillAcceptedAndRevokedOnesRefused() throws Exception {
		TestCertificate alice = this.certificates.client("alice");
		X509Certificate[] chain = alice.getChain().toArray(X509Certificate[]::new);
		this.material.verifyClient(chain);
		this.certificates.revoke(alice);
		assertThatExceptionOfType(CertificateRejectedException.class)
			.isThrownBy(() -> this.material.verifyClient(chain))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.REVOKED));
	}

	@Nested
	class NestedTests {

		@Autowired
		TestCertificates nestedCertificates;

		@Test
		void nestedClassWhenEnclosingAnnotatedThenSameTestCa() {
			assertThat(this.nestedCertificates).isSameAs(AutoConfigureTestCertificatesTests.this.certificates);
		}

	}

}
