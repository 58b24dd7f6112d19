package dev.mtls.boot.identity;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CertificateIdentity} from any certificate the JDK parses, hostile SANs included:
 * the contract is an identity, or {@link MissingIdentityAttributeException} when the
 * certificate lacks the attribute that names principals, and log text without line
 * breaks. The seeds (in {@code CertificateIdentityFuzzTestsInputs}) are DER certificates
 * with SPIFFE, DNS, IP, e-mail and odd SANs.
 */
class CertificateIdentityFuzzTests {

	@FuzzTest(maxDuration = "10s")
	void fromDer(byte[] der) {
		X509Certificate certificate;
		try {
			certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
		}
		catch (CertificateException ex) {
			return;
		}
		for (PrincipalName name : PrincipalName.values()) {
			try {
				CertificateIdentity identity = CertificateIdentity.of(List.of(certificate), name);
				assertThat(identity.getName()).isNotNull();
				identity.getDnsNames();
				identity.getUris();
				identity.getEmails();
				identity.getIpAddresses();
				identity.getSpiffeId();
				identity.getTrustDomain();
			}
			catch (MissingIdentityAttributeException ex) {
				assertThat(CertificateText.escapeMessage(ex.getMessage())).doesNotContain("\n");
			}
		}
		assertThat(CertificateText.describe(certificate)).doesNotContain("\n").doesNotContain("\r");
	}

}
