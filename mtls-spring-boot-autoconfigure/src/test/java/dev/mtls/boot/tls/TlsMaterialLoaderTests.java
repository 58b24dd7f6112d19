package dev.mtls.boot.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.pki.IssuedCertificate.KeyFormat;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.ExpectedServerIdentities;
import dev.mtls.boot.trust.OnlineRevocation;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TlsMaterialLoader}: every message a bad identity, trust, CRL or bundle
 * fails with, checked here once, without an application context.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class TlsMaterialLoaderTests {

	private static final String POINT_AT_PEM = "Point mtls.identity.certificate at an existing, readable PEM file "
			+ "(for example file:/etc/mtls/tls.crt) or put the PEM text inline.";

	private static final String SET_TRUST = "Set mtls.trust.certificates to the PEM certificates (files or directories) "
			+ "of the CAs whose clients and servers this service trusts, or mtls.trust.truststore.location to a trust store.";

	private static final String POINT_AT_KEY = "Point mtls.identity.private-key at the key of the certificate in "
			+ "mtls.identity.certificate, or fix the certificate.";

	private TestCertificateAuthority ca;

	private TestCertificate server;

	private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();

	private final TlsMaterialLoader loader = new TlsMaterialLoader(new DefaultResourceLoader(), () -> this.bundles);

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
		this.server = ca.getServerCertificate();
		ca.writePem("server", this.server);
		ca.writeCaCertificate();
	}

	private String location(String fileName) {
		return this.ca.fileLocation(fileName);
	}

	private Path file(String fileName) {
		return this.ca.getDirectory().resolve(fileName);
	}

	private void write(String fileName, String content) throws IOException {
		Files.writeString(file(fileName), content);
	}

	private IdentitySource pem(String certificate, String key) {
		return IdentitySource.pem(location(certificate), location(key), null);
	}

	private TrustSource trust() {
		return TrustSource.pem(List.of(location("ca.crt")));
	}

	private TlsMaterialSource source(IdentitySource identity, TrustSource trust, String... crls) {
		return TlsMaterialSource.of(identity, trust, List.of(crls), CertificatePolicy.DEFAULT, OnlineRevocation.NONE);
	}

	private static ThrowableAssertAlternative<MtlsConfigurationException> assertFailure(ThrowingCallable load,
			String property, String value, String problem, String action) {
		return assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(load).satisfies((ex) -> {
			assertThat(ex.getProperty()).isEqualTo(property);
			assertThat(ex.getValue()).isEqualTo(value);
			assertThat(ex.getProblem()).startsWith(problem);
			assertThat(ex.getAction()).isEqualTo(action);
		});
	}

	@Test
	void loadWhenPemIdentityAndTrustThenOneGeneration() {
		LoadedMaterial material = this.loader.load(source(pem("server.crt", "server.key"), trust()));

		assertThat(material.chain()).containsExactlyElementsOf(this.server.getChain());
		assertThat(material.validator().getTrusted()).containsExactly(this.ca.getCaCertificate());
		assertThat(material.keyManager().getCertificateChain("mtls")).containsExactlyElementsOf(this.server.getChain());
		assertThat(material.stores().getTrustStore()).isNotNull();
	}

	@Test
	void loadWhenRsaIdentityThenLoaded() {
		TestCertificate rsa = this.ca.client((spec) -> spec.commonName("localhost").serverAuthUsage().rsa(2048));
		this.ca.writePem("rsa", rsa);

		assertThat(this.loader.loadIdentity(pem("rsa.crt", "rsa.key")).chain())
			.containsExactlyElementsOf(rsa.getChain());
	}

	@Test
	void loadWhenInlinePemThenLoaded() {
		IdentitySource inline = IdentitySource.pem(this.server.getCertificatePem(), this.server.getPrivateKeyPem(),
				null);

		LoadedMaterial material = this.loader
			.load(source(inline, TrustSource.pem(List.of(this.ca.getCaCertificatePem()))));

		assertThat(material.chain()).containsExactlyElementsOf(this.server.getChain());
	}

	@Test
	void identityWhenCertificateNotSetThenFails() {
		assertFailure(() -> this.loader.loadIdentity(IdentitySource.pem(null, location("server.key"), null)),
				"mtls.identity.certificate", null, "it is not set",
				"Set mtls.identity.certificate to the PEM certificate chain (leaf first) of this service.");
	}

	@Test
	void identityWhenCertificateFileMissingThenFails() {
		assertFailure(() -> this.loader.loadIdentity(pem("nope.crt", "server.key")), "mtls.identity.certificate",
				location("nope.crt"), "the file does not exist", POINT_AT_PEM);
	}

	@Test
	void identityWhenExistingFileWithoutPrefixThenFailureSaysFilePrefix() {
		String path = file("server.crt").toString();

		assertFailure(() -> this.loader.loadIdentity(IdentitySource.pem(path, location("server.key"), null)),
				"mtls.identity.certificate", path, "there is no class path resource '" + path + "'",
				"Write file:" + path + " to read that file.");
	}

	@Test
	void crlAndTrustStoreWhenExistingFileWithoutPrefixThenFailureSaysFilePrefix() {
		String path = file("server.crt").toString();

		assertFailure(() -> this.loader.loadCrls(List.of(path)), "mtls.revocation.crls[0]", path,
				"there is no class path resource", "Write file:" + path + " to read that file.");
		assertFailure(() -> this.loader.loadTrust(TrustSource.trustStore(path, "changeit", null)),
				"mtls.trust.truststore.location", path, "there is no class path resource",
				"Write file:" + path + " to read that file.");
	}

	@Test
	void identityWhenCertificateUnreadableThenFails() {
		String location = "file:/etc/mtls/tls.crt";
		ResourceLoader unreadable = new DefaultResourceLoader() {

			@Override
			public Resource getResource(String name) {
				return name.equals(location) ? new UnreadableResource() : super.getResource(name);
			}

		};
		TlsMaterialLoader loader = new TlsMaterialLoader(unreadable, () -> this.bundles);

		assertFailure(() -> loader.loadIdentity(IdentitySource.pem(location, location("server.key"), null)),
				"mtls.identity.certificate", location, "the file cannot be read: /etc/mtls/tls.crt: Permission denied",
				"Make " + location + " readable by the user running the application.");
	}

	@Test
	void identityWhenCertificateNotPemThenFails() throws IOException {
		write("garbage.crt", "this is not a certificate");

		assertFailure(() -> this.loader.loadIdentity(pem("garbage.crt", "server.key")), "mtls.identity.certificate",
				location("garbage.crt"), "the file is not PEM: no '-----BEGIN ...-----' block",
				"Point mtls.identity.certificate at a PEM file. Convert DER files with 'openssl x509 -inform der' "
						+ "or 'openssl pkey -inform der'.");
	}

	@Test
	void identityWhenCertificateBlockCorruptThenFails() throws IOException {
		write("corrupt.crt", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

		assertFailure(() -> this.loader.loadIdentity(pem("corrupt.crt", "server.key")), "mtls.identity.certificate",
				location("corrupt.crt"), "no X.509 certificate could be read from it: ",
				"Point mtls.identity.certificate at a PEM file holding '-----BEGIN CERTIFICATE-----' blocks.");
	}

	@Test
	void identityWhenCertificateFileHoldsOnlyAKeyThenFails() {
		assertFailure(() -> this.loader.loadIdentity(pem("server.key", "server.key")), "mtls.identity.certificate",
				location("server.key"), "no X.509 certificate could be read from it: ",
				"Point mtls.identity.certificate at a PEM file holding '-----BEGIN CERTIFICATE-----' blocks.");
	}

	@Test
	void privateKeyWhenFileHoldsOnlyACertificateThenFails() {
		assertFailure(() -> this.loader.loadIdentity(pem("server.crt", "server.crt")), "mtls.identity.private-key",
				location("server.crt"), "the private key cannot be read: ",
				"Point mtls.identity.private-key at a PEM private key (PKCS#8, PKCS#1 or SEC1).");
	}

	@Test
	void privateKeyWhenEncryptedWithoutPasswordThenFails() throws IOException {
		writeEncryptedIdentity("s3cret");

		assertFailure(() -> this.loader.loadIdentity(pem("encrypted.crt", "encrypted.key")),
				"mtls.identity.private-key", location("encrypted.key"),
				"the private key is encrypted and no password is set",
				"Set mtls.identity.private-key-password to the key's password.");
	}

	@Test
	void privateKeyWhenPasswordWrongThenFailsWithoutShowingIt() throws IOException {
		writeEncryptedIdentity("s3cret");
		IdentitySource identity = IdentitySource.pem(location("encrypted.crt"), location("encrypted.key"),
				"wrong-password");

		assertFailure(() -> this.loader.loadIdentity(identity), "mtls.identity.private-key-password", null,
				"the private key in '" + location("encrypted.key") + "' cannot be decrypted with it: ",
				"Set mtls.identity.private-key-password to the password the key was encrypted with.")
			.satisfies((ex) -> assertThat(ex).hasMessageNotContaining("wrong-password"));
	}

	/**
	 * Write an identity whose key is PKCS#8 encrypted, which the test module does not
	 * write: minted with the issuing CA.
	 */
	private void writeEncryptedIdentity(String password) throws IOException {
		IssuedCertificate identity = this.ca.getIssuingAuthority()
			.certificate("localhost")
			.dnsNames("localhost")
			.serverAuth()
			.clientAuth()
			.issue();
		write("encrypted.crt", identity.certificatePem());
		write("encrypted.key", identity.privateKeyPem(KeyFormat.PKCS8, password));
	}

	@Test
	void privateKeyWhenInlineButNotPemThenValueNotShown() {
		String base64Key = Base64.getEncoder().encodeToString(this.server.getPrivateKey().getEncoded());
		IdentitySource identity = IdentitySource.pem(location("server.crt"), base64Key, null);

		assertFailure(() -> this.loader.loadIdentity(identity), "mtls.identity.private-key",
				"<inline value, " + base64Key.length() + " characters>", "the file does not exist",
				"Point mtls.identity.private-key at an existing, readable PEM file (for example file:/etc/mtls/tls.crt) "
						+ "or put the PEM text inline.")
			.satisfies((ex) -> assertThat(ex).hasMessageNotContaining(base64Key));
	}

	@Test
	void privateKeyWhenOfAnotherEcCertificateThenFails() throws IOException {
		write("other.key", this.ca.client("other").getPrivateKeyPem());

		assertKeyMismatch(pem("server.crt", "other.key"), "other.key");
	}

	@Test
	void privateKeyWhenOfAnotherRsaCertificateThenFails() throws IOException {
		write("rsa.crt", this.ca.client((spec) -> spec.commonName("localhost").rsa(2048)).getCertificatePem());
		write("other-rsa.key", this.ca.client((spec) -> spec.commonName("other").rsa(2048)).getPrivateKeyPem());

		assertKeyMismatch(pem("rsa.crt", "other-rsa.key"), "other-rsa.key");
	}

	@Test
	void privateKeyWhenRsaForEcCertificateThenFails() throws IOException {
		write("other-rsa.key", this.ca.client((spec) -> spec.commonName("other").rsa(2048)).getPrivateKeyPem());

		assertKeyMismatch(pem("server.crt", "other-rsa.key"), "other-rsa.key");
	}

	private void assertKeyMismatch(IdentitySource identity, String keyFile) {
		assertFailure(() -> this.loader.loadIdentity(identity), "mtls.identity.private-key", null,
				"the private key in '" + location(keyFile) + "' does not match the certificate 'CN=localhost'",
				POINT_AT_KEY);
	}

	@Test
	void identityWhenExpiredThenFails() {
		this.ca.writePem("expired", this.ca.client((spec) -> spec.commonName("localhost").serverAuthUsage().expired()));

		assertFailure(() -> this.loader.loadIdentity(pem("expired.crt", "expired.key")), "mtls.identity.certificate",
				null, "the identity certificate 'CN=localhost' expired on ",
				"Renew the certificate, or point mtls.identity at a current one.");
	}

	@Test
	void identityWhenNotYetValidThenFails() {
		this.ca.writePem("future",
				this.ca.client((spec) -> spec.commonName("localhost").serverAuthUsage().notYetValid()));

		assertFailure(() -> this.loader.loadIdentity(pem("future.crt", "future.key")), "mtls.identity.certificate",
				null, "the identity certificate 'CN=localhost' is not valid before ",
				"Check the system clock, or use a certificate that is valid now.");
	}

	@Test
	void keyStoreWhenValidThenLoaded() {
		this.ca.writeJks("server", this.server, "changeit");

		LoadedMaterial material = this.loader
			.load(source(IdentitySource.keyStore(location("server.jks"), "changeit", null, null), trust()));

		assertThat(material.chain()).containsExactlyElementsOf(this.server.getChain());
		// The test CA's stores hold their key under the alias 'client'.
		assertThat(material.key().getAlias()).isEqualTo("client");
	}

	@Test
	void keyStoreWhenMissingThenFails() {
		assertFailure(() -> this.loader.loadIdentity(keyStore("nope.p12", "changeit", null)),
				"mtls.identity.keystore.location", location("nope.p12"), "the file does not exist",
				"Point mtls.identity.keystore.location at an existing PKCS12 or JKS file.");
	}

	@Test
	void keyStoreWhenPasswordWrongThenFails() {
		this.ca.writePkcs12("server", this.server, "changeit");

		assertFailure(() -> this.loader.loadIdentity(keyStore("server.p12", "wrong", null)),
				"mtls.identity.keystore.password", null,
				"the PKCS12 store '" + location("server.p12") + "' cannot be opened: ",
				"Set mtls.identity.keystore.password to the store's password.");
	}

	@Test
	void keyStoreWhenNotAKeyStoreThenFails() {
		String location = location("server.crt");

		assertFailure(() -> this.loader.loadIdentity(IdentitySource.keyStore(location, "changeit", "JKS", null)),
				"mtls.identity.keystore.location", location, "the JKS store '" + location + "' cannot be opened: ",
				"Check that mtls.identity.keystore.location is a JKS file, or set mtls.identity.keystore.type to its "
						+ "type (PKCS12 or JKS).");
	}

	@Test
	void keyStoreWhenAliasUnknownThenFails() {
		this.ca.writePkcs12("server", this.server, "changeit");

		assertFailure(() -> this.loader.loadIdentity(keyStore("server.p12", "changeit", "server")),
				"mtls.identity.keystore.alias", "server",
				"'" + location("server.p12")
						+ "' holds no private key entry with this alias (private key entries: [client])",
				"Set mtls.identity.keystore.alias to one of [client].");
	}

	@Test
	void keyStoreWhenOnlySecretKeyThenFails() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setEntry("secret", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
				new KeyStore.PasswordProtection("changeit".toCharArray()));
		try (OutputStream out = Files.newOutputStream(file("secret.p12"))) {
			store.store(out, "changeit".toCharArray());
		}

		assertFailure(() -> this.loader.loadIdentity(keyStore("secret.p12", "changeit", null)),
				"mtls.identity.keystore.location", location("secret.p12"),
				"the key store holds 0 key entries [], so the identity is ambiguous",
				"Point mtls.identity.keystore.location at a store with a private key.");
	}

	@Test
	void keyStoreWhenExpiredThenFailureNamesKeyStore() {
		this.ca.writePkcs12("expired",
				this.ca.client((spec) -> spec.commonName("localhost").serverAuthUsage().expired()), "changeit");

		assertFailure(() -> this.loader.loadIdentity(keyStore("expired.p12", "changeit", null)),
				"mtls.identity.keystore.location", null, "the identity certificate 'CN=localhost' expired on ",
				"Renew the certificate, or point mtls.identity at a current one.");
	}

	private IdentitySource keyStore(String file, String password, String alias) {
		return IdentitySource.keyStore(location(file), password, null, alias);
	}

	@Test
	void trustWhenNoneConfiguredThenFails() {
		assertFailure(() -> this.loader.loadTrust(TrustSource.pem(List.of())), "mtls.trust.certificates", null,
				"no trusted CA certificate is configured", SET_TRUST);
	}

	@Test
	void trustWhenDirectoryEmptyThenFails() throws Exception {
		Files.createDirectories(file("empty"));

		assertFailure(() -> this.loader.loadTrust(TrustSource.pem(List.of(location("empty")))),
				"mtls.trust.certificates[0]", location("empty"),
				"the directory holds no '*.pem' or '*.crt' certificate", SET_TRUST);
	}

	@Test
	void trustWhenDirectoryHoldsLeafCertificateThenOnlyCasTrusted() throws Exception {
		Files.createDirectories(file("mixed"));
		write("mixed/ca.crt", this.ca.getCaCertificatePem());
		// The server's chain: its leaf, and the issuing CA that is trusted too.
		write("mixed/tls.crt", this.server.getCertificatePem());

		KeyStore trust = this.loader.loadTrust(TrustSource.pem(List.of(location("mixed"))));

		assertThat(trust.size()).isEqualTo(2);
		assertThat(trust.getCertificateAlias(this.ca.getCaCertificate())).isNotNull();
		assertThat(trust.getCertificateAlias(this.ca.getIssuingAuthority().getCertificate())).isNotNull();
		assertThat(trust.getCertificateAlias(this.server.getCertificate())).isNull();
	}

	@Test
	void trustWhenTrustStoreEmptyThenFails() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		try (OutputStream out = Files.newOutputStream(file("empty.p12"))) {
			store.store(out, "changeit".toCharArray());
		}
		String location = location("empty.p12");

		assertFailure(() -> this.loader.loadTrust(TrustSource.trustStore(location, "changeit", null)),
				"mtls.trust.truststore.location", location, "the trust store holds no certificates", SET_TRUST);
	}

	@Test
	void crlWhenMissingThenFails() {
		String missing = location("ca.crl");

		assertFailure(() -> this.loader.loadCrls(List.of(missing)), "mtls.revocation.crls[0]", missing,
				"the file does not exist", "Point mtls.revocation.crls[0] at a CRL file (PEM or DER).");
	}

	@Test
	void crlWhenNotACrlThenFails() {
		assertFailure(() -> this.loader.loadCrls(List.of(location("ca.crt"))), "mtls.revocation.crls[0]",
				location("ca.crt"), "the file cannot be read as a CRL: ",
				"Point mtls.revocation.crls[0] at a CRL file (PEM '-----BEGIN X509 CRL-----' or DER).");
	}

	@Test
	void crlWhenValidThenLoaded() {
		this.ca.writeCrl();

		assertThat(this.loader.loadCrls(List.of(location("ca.crl")))).hasSize(1);
	}

	@Test
	void bundleWhenUnknownThenFails() {
		assertFailure(() -> this.loader.load(bundleSource("missing")), "mtls.bundle", "missing",
				"no SSL bundle with this name is configured",
				"Set mtls.bundle to the name of a bundle under spring.ssl.bundle.pem or spring.ssl.bundle.jks, "
						+ "or configure mtls.identity and mtls.trust instead.");
	}

	@Test
	void bundleWhenNoTrustStoreThenFails() {
		this.bundles.registerBundle("service", SslBundle
			.of(new PemSslStoreBundle(PemSslStore.of(this.server.getChain(), this.server.getPrivateKey()), null)));

		assertFailure(() -> this.loader.load(bundleSource("service")), "mtls.bundle", "service",
				"the bundle has no trust store",
				"Give the spring.ssl.bundle a truststore, or configure mtls.identity and mtls.trust instead.");
	}

	@Test
	void bundleWhenNamedThenItsIdentityAndTrustLoaded() {
		this.bundles.registerBundle("service",
				SslBundle.of(new PemSslStoreBundle(PemSslStore.of(this.server.getChain(), this.server.getPrivateKey()),
						PemSslStore.of(List.of(this.ca.getCaCertificate()), null))));

		LoadedMaterial material = this.loader.load(bundleSource("service"));

		assertThat(material.chain()).containsExactlyElementsOf(this.server.getChain());
		assertThat(material.validator().getTrusted()).containsExactly(this.ca.getCaCertificate());
	}

	private static TlsMaterialSource bundleSource(String name) {
		return TlsMaterialSource.ofBundle(name, List.of(), CertificatePolicy.DEFAULT, OnlineRevocation.NONE);
	}

	/**
	 * A file that exists but cannot be read, as one without read permission for the user
	 * (tests may run as root, who reads every file).
	 */
	@Test
	void withForwardedTrustWhenWorkloadThenIllegalArgument() {
		TlsMaterialSource workload = TlsMaterialSource.ofWorkload(() -> {
			throw new IllegalStateException("not asked");
		}, ExpectedServerIdentities.NONE, List.of(), CertificatePolicy.DEFAULT, OnlineRevocation.NONE);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> workload.withForwardedTrust(TrustSource.pem(List.of("file:/etc/mtls/customers-ca.crt"))))
			.withMessageContaining("validates forwarded certificates by trust domain");
	}

	private static final class UnreadableResource extends AbstractResource {

		@Override
		public boolean exists() {
			return true;
		}

		@Override
		public InputStream getInputStream() throws IOException {
			throw new AccessDeniedException("/etc/mtls/tls.crt", null, "Permission denied");
		}

		@Override
		public String getDescription() {
			return "unreadable file";
		}

	}

}
