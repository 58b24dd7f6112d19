package dev.mtls.boot.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRLs from hostile files: read (PEM or DER, several in a row), then used to validate a
 * client of the CA that may have signed them. The contract: {@link IOException} when the
 * content is not CRLs; otherwise a validator whose answer is the validated path or a
 * {@link CertificateRejectedException}, nothing else. The seeds (in
 * {@code CrlFuzzTestsInputs}) are CRLs of {@code crl-fuzz-ca.crt}, one revoking the
 * client, in PEM and DER.
 */
class CrlFuzzTests {

	private static final List<X509Certificate> CA = read("crl-fuzz-ca.crt");

	private static final List<X509Certificate> CLIENT = read("crl-fuzz-leaf-chain.crt");

	@FuzzTest(maxDuration = "10s")
	void readAndCheck(byte[] input) {
		List<X509CRL> crls;
		try {
			crls = CertificateValidator.readCrls(new ByteArrayInputStream(input));
		}
		catch (IOException ex) {
			return;
		}
		CertificateValidator validator = CertificateValidator.of(CA, crls, CertificatePolicy.DEFAULT,
				Clock.systemUTC());
		try {
			assertThat(validator.validateClient(CLIENT)).startsWith(CLIENT.get(0));
		}
		catch (CertificateRejectedException ex) {
			assertThat(ex.getReason()).isNotNull();
		}
	}

	@SuppressWarnings("unchecked")
	private static List<X509Certificate> read(String name) {
		try (InputStream in = CrlFuzzTests.class.getResourceAsStream(name)) {
			return (List<X509Certificate>) CertificateFactory.getInstance("X.509").generateCertificates(in);
		}
		catch (IOException | CertificateException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
