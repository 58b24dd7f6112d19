package dev.mtls.boot.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.ssl.pem.PemContent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JUnit extension gives each test a CA that writes PEM, PKCS12 and JKS files.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
@TestMethodOrder(OrderAnnotation.class)
class TestCertificateAuthorityExtensionTests {

	static Path previousDirectory;

	@Test
	@Order(1)
	void writesPemFilesAndRotatesThemInPlace(TestCertificateAuthority ca) throws Exception {
		PemFiles first = ca.writePem("service", ca.newServerCertificate());
		X509Certificate before = certificate(first.certificate());
		PemFiles second = ca.writePem("service", ca.newServerCertificate());
		assertThat(second).isEqualTo(first);
		assertThat(certificate(second.certificate()).getSerialNumber()).isNotEqualTo(before.getSerialNumber());
		assertThat(PemContent.load(second.privateKey()).getPrivateKey()).isNotNull();
		assertThat(certificate(ca.writeCaCertificate())).isEqualTo(ca.getCaCertificate());
		previousDirectory = ca.getDirectory();
	}

	@Test
	void writesKeyStores(TestCertificateAuthority ca) throws Exception {
		TestCertificate alice = ca.client("alice");
		for (Path store : List.of(ca.writePkcs12("alice", alice, "secret"), ca.writeJks("alice", alice, "secret"))) {
			KeyStore keys = KeyStore.getInstance(store.toFile(), "secret".toCharArray());
			assertThat(keys.getCertificate("client")).isEqualTo(alice.getCertificate());
			assertThat(keys.getKey("client", "secret".toCharArray())).isEqualTo(alice.getPrivateKey());
		}
		Path trustStore = ca.writeTrustStore("trust", "PKCS12", "secret");
		assertThat(trustStore.getFileName()).hasToString("trust.p12");
		KeyStore trust = KeyStore.getInstance(trustStore.toFile(), "secret".toCharArray());
		assertThat(trust.size()).isOne();
		assertThat(ca.write("garbage.pem", "not PEM")).hasContent("not PEM").hasParent(ca.getDirectory());
	}

	@Test
	@Order(2)
	void eachTestGetsItsOwnCaAndTheDirectoryIsDeleted(TestCertificateAuthority ca) {
		// Runs after the test that kept its CA's directory (see @Order).
		assertThat(previousDirectory).isNotNull().doesNotExist();
		assertThat(ca.getDirectory()).isNotEqualTo(previousDirectory);
		assertThat(Files.isDirectory(ca.getDirectory())).isTrue();
	}

	private static X509Certificate certificate(Path path) throws Exception {
		return PemContent.load(path).getCertificates().get(0);
	}

}
