package dev.mtls.boot.dev;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.pem.PemContent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DevCertificates}.
 */
class DevCertificatesTests {

	@TempDir
	Path directory;

	@Test
	void prepareWhenDirectoryEmptyThenMintsEveryFile() throws Exception {
		DevCertificates certificates = DevCertificates.prepare(this.directory, List.of("alice", "bob"));

		assertThat(certificates.getMinted()).containsExactly("ca", "server", "alice", "bob");
		assertThat(this.directory).isDirectoryContaining("glob:**/ca.crt")
			.isDirectoryContaining("glob:**/server.crt")
			.isDirectoryContaining("glob:**/server.key")
			.isDirectoryContaining("glob:**/alice.crt")
			.isDirectoryContaining("glob:**/alice.key")
			.isDirectoryContaining("glob:**/bob.p12");
		X509Certificate server = PemContent.load(certificates.serverCertificate()).getCertificates().get(0);
		assertThat(server.getSubjectAlternativeNames().stream().map((name) -> String.valueOf(name.get(1))))
			.containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
		assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
		assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("EC");
	}

	@Test
	void prepareWhenClientKeyStoreWrittenThenOpensWithChangeit() throws Exception {
		DevCertificates certificates = DevCertificates.prepare(this.directory, List.of("alice"));
		KeyStore store = KeyStore.getInstance("PKCS12");

		try (FileInputStream in = new FileInputStream(certificates.clientKeyStore("alice").toFile())) {
			store.load(in, "changeit".toCharArray());
		}

		assertThat(((X509Certificate) store.getCertificate("alice")).getSubjectX500Principal().getName())
			.isEqualTo("CN=alice");
		assertThat(((X509Certificate) store.getCertificate("alice")).getExtendedKeyUsage())
			.containsExactly("1.3.6.1.5.5.7.3.2");
	}

	@Test
	void prepareWhenMintedThenDirectoryAndKeysPrivateToOwner() throws Exception {
		Path dev = this.directory.resolve("dev");

		DevCertificates.prepare(dev, List.of("alice"));

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dev))).isEqualTo("rwx------");
		for (String file : List.of("ca.key", "server.key", "alice.key", "alice.p12")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dev.resolve(file)))).as(file)
				.isEqualTo("rw-------");
		}
	}

	@Test
	void prepareWhenRunAgainThenReusesFiles() throws Exception {
		DevCertificates.prepare(this.directory, List.of("alice"));
		String ca = Files.readString(this.directory.resolve("ca.crt"));

		DevCertificates again = DevCertificates.prepare(this.directory, List.of("alice", "carol"));

		assertThat(again.getMinted()).containsExactly("carol");
		assertThat(this.directory.resolve("ca.crt")).hasContent(ca);
		X509Certificate carol = PemContent.load(again.clientCertificate("carol")).getCertificates().get(0);
		carol.verify(PemContent.load(again.caCertificate()).getCertificates().get(0).getPublicKey());
	}

	@Test
	void prepareWhenClientIsSpiffeIdThenUriSanAndNamedByLastSegmentAndHash() throws Exception {
		String checkoutId = "spiffe://sample.mtls.dev/ns/shop/sa/checkout";

		DevCertificates certificates = DevCertificates.prepare(this.directory, List.of(checkoutId));

		assertThat(DevCertificates.baseName(checkoutId)).matches("checkout_[0-9a-f]{8}");
		assertThat(certificates.clientKeyStore(checkoutId))
			.isEqualTo(this.directory.resolve(DevCertificates.baseName(checkoutId) + ".p12"));
		X509Certificate checkout = certificate(certificates.clientCertificate(checkoutId));
		assertThat(checkout.getSubjectX500Principal().getName()).isEqualTo("CN=checkout");
		assertThat(checkout.getSubjectAlternativeNames()).singleElement().isEqualTo(List.of(6, checkoutId));
	}

	@Test
	void prepareWhenClientMovesToSpiffeIdThenMintsWithUriSan() throws Exception {
		String checkoutId = "spiffe://sample.mtls.dev/ns/shop/sa/checkout";
		DevCertificates.prepare(this.directory, List.of("checkout"));

		DevCertificates again = DevCertificates.prepare(this.directory, List.of(checkoutId));

		assertThat(again.getMinted()).containsExactly(checkoutId);
		assertThat(certificate(again.clientCertificate(checkoutId)).getSubjectAlternativeNames()).singleElement()
			.isEqualTo(List.of(6, checkoutId));
	}

	@Test
	void prepareWhenClientFileHoldsAnotherIdentityThenMintsAnew() throws Exception {
		DevCertificates first = DevCertificates.prepare(this.directory, List.of("alice", "bob"));
		Files.copy(first.clientCertificate("bob"), first.clientCertificate("alice"),
				StandardCopyOption.REPLACE_EXISTING);
		Files.copy(first.clientPrivateKey("bob"), first.clientPrivateKey("alice"), StandardCopyOption.REPLACE_EXISTING);

		DevCertificates again = DevCertificates.prepare(this.directory, List.of("alice", "bob"));

		assertThat(again.getMinted()).containsExactly("alice");
		assertThat(certificate(again.clientCertificate("alice")).getSubjectX500Principal().getName())
			.isEqualTo("CN=alice");
	}

	@Test
	void prepareWhenSpiffeIdsShareLastSegmentThenDistinctCertificates() throws Exception {
		String shop = "spiffe://sample.mtls.dev/ns/shop/sa/checkout";
		String test = "spiffe://sample.mtls.dev/ns/test/sa/checkout";

		DevCertificates certificates = DevCertificates.prepare(this.directory, List.of(shop, test));

		assertThat(certificates.getMinted()).containsExactly("ca", "server", shop, test);
		assertThat(certificates.clientCertificate(shop)).isNotEqualTo(certificates.clientCertificate(test));
		assertThat(certificate(certificates.clientCertificate(shop)).getSubjectAlternativeNames()).singleElement()
			.isEqualTo(List.of(6, shop));
		assertThat(certificate(certificates.clientCertificate(test)).getSubjectAlternativeNames()).singleElement()
			.isEqualTo(List.of(6, test));
		assertThat(DevCertificates.prepare(this.directory, List.of(shop, test)).getMinted()).isEmpty();
	}

	@Test
	void prepareWhenClientsNamedServerAndCaThenCaAndServerFilesKept() throws Exception {
		DevCertificates certificates = DevCertificates.prepare(this.directory, List.of("server", "ca", "Server"));

		X509Certificate ca = certificate(certificates.caCertificate());
		assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=mtls dev CA");
		assertThat(ca.getBasicConstraints()).isNotNegative();
		assertThat(certificate(certificates.serverCertificate()).getSubjectX500Principal().getName())
			.isEqualTo("CN=localhost");
		assertThat(List.of("server", "ca", "Server")).allSatisfy((client) -> assertThat(
				certificate(certificates.clientCertificate(client)).getSubjectX500Principal().getName())
			.isEqualTo("CN=" + client));
		assertThat(DevCertificates.prepare(this.directory, List.of("server", "ca", "Server")).getMinted()).isEmpty();
	}

	@Test
	void prepareWhenClientNameIsPathThenFilesStayInDirectory() throws Exception {
		Path dev = this.directory.resolve("dev");

		DevCertificates certificates = DevCertificates.prepare(dev, List.of("../escaped"));

		assertThat(certificates.clientCertificate("../escaped").getParent()).isEqualTo(dev);
		assertThat(this.directory).isDirectoryNotContaining("glob:**/escaped*");
	}

	@Test
	void prepareWhenParentWritableByOthersWithoutStickyBitThenRefused() throws Exception {
		Path shared = writableByOthers("shared");
		Path dev = shared.resolve("app");

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> DevCertificates.prepare(dev, List.of("alice")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("mtls.dev.directory"))
			.withMessageContaining("'mtls.dev.directory' = '" + dev + "'")
			.withMessageContaining(shared + " is writable by its group or others (rwxrwxrwx) and has no sticky bit");
		assertThat(dev).doesNotExist();
	}

	@Test
	void prepareWhenParentWritableByOthersWithStickyBitThenAccepted() throws Exception {
		Path shared = Files.createDirectory(this.directory.resolve("shared"));
		Files.setAttribute(shared, "unix:mode", 01777);
		Path dev = shared.resolve("app");

		DevCertificates certificates = DevCertificates.prepare(dev, List.of("alice"));

		assertThat(certificates.getMinted()).containsExactly("ca", "server", "alice");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dev))).isEqualTo("rwx------");
	}

	@Test
	void prepareWhenDirectoryGroupWritableThenRefused() throws Exception {
		Path dev = Files.createDirectory(this.directory.resolve("dev"));
		Files.setPosixFilePermissions(dev, PosixFilePermissions.fromString("rwxrwx---"));

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> DevCertificates.prepare(dev, List.of("alice")))
			.withMessageContaining("'mtls.dev.directory' = '" + dev + "'")
			.withMessageContaining(dev + " is writable by its group or others (rwxrwx---)");
		assertThat(dev).isEmptyDirectory();
	}

	@Test
	void prepareWhenDirectoryIsLinkToUnsafeDirectoryThenRefused() throws Exception {
		Path shared = writableByOthers("shared");
		Path target = Files.createDirectory(shared.resolve("app"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path dev = Files.createSymbolicLink(this.directory.resolve("dev"), target);

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> DevCertificates.prepare(dev, List.of("alice")))
			.withMessageContaining(shared + " is writable by its group or others");
	}

	@Test
	void checkDirectoryWhenMadeWritableByOthersAfterPrepareThenRefused() throws Exception {
		Path dev = this.directory.resolve("dev");
		DevCertificates.prepare(dev, List.of("alice"));
		DevCertificates.checkDirectory(dev);

		Files.setPosixFilePermissions(dev, PosixFilePermissions.fromString("rwx---rwx"));

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> DevCertificates.checkDirectory(dev))
			.withMessageContaining(dev + " is writable by its group or others (rwx---rwx)");
	}

	@Test
	void prepareWhenServerFileCorruptThenMintsAnew() throws Exception {
		DevCertificates.prepare(this.directory, List.of("alice"));
		Files.writeString(this.directory.resolve("server.crt"), "garbage");

		DevCertificates again = DevCertificates.prepare(this.directory, List.of("alice"));

		assertThat(again.getMinted()).containsExactly("ca", "server", "alice");
	}

	private static X509Certificate certificate(Path file) throws Exception {
		return PemContent.load(file).getCertificates().get(0);
	}

	// As /tmp without its sticky bit: anyone may rename what is in it.
	private Path writableByOthers(String name) throws IOException {
		Path directory = Files.createDirectory(this.directory.resolve(name));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		return directory;
	}

}
