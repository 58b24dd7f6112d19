package dev.mtls.boot.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.pki.IssuedCertificate.KeyFormat;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.OnlineRevocation;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/**
 * Tests for {@link TlsMaterialLoader}: every message a bad identity, trust, CRL or bundle
 * fails with, checked here once, without an application context.
 */
class TlsMaterialLoaderTests {

	private static final String POINT_AT_PEM = "Point mtls.identity.certificate at an existing, readable PEM file "
			+ "(for example file:/etc/mtls/tls.crt) or put the PEM text inline.";

	private static final String SET_TRUST = "Set mtls.trust.certificates to the PEM certificates (files or directories) "
			+ "of the CAs whose clients and servers this service trusts, or mtls.trust.truststore.location to a trust store.";

	private static final String POINT_AT_KEY = "Point mtls.identity.private-key at the key of the certificate in "
			+ "mtls.identity.certificate, or fix the certificate.";

	@TempDir
	Path directory;

	private TestPki pki;

	private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();

	private final TlsMaterialLoader loader = new TlsMaterialLoader(new DefaultResourceLoader(), () -> this.bundles);

	@BeforeEach
	void mint() {
		this.pki = new TestPki(this.directory);
	}

	private IdentitySource pem(String certificate, String key) {
		return IdentitySource.pem(this.pki.location(certificate), this.pki.location(key), null);
	}

	private TrustSource trust() {
		return TrustSource.pem(List.of(this.pki.location("ca.crt")));
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

		assertThat(material.chain()).containsExactly(this.pki.server().getCertificate());
		assertThat(material.validator().getTrusted()).containsExactly(this.pki.ca().getCertificate());
		assertThat(material.keyManager().getCertificateChain("mtls"))
			.containsExactly(this.pki.server().getCertificate());
		assertThat(material.stores().getTrustStore()).isNotNull();
	}

	@Test
	void loadWhenRsaIdentityThenLoaded() {
		IssuedCertificate rsa = this.pki.ca().certificate("localhost").rsa(2048).issue();
		this.pki.write("rsa.crt", rsa.certificatePem());
		this.pki.write("rsa.key", rsa.privateKeyPem());

		assertThat(this.loader.loadIdentity(pem("rsa.crt", "rsa.key")).chain()).containsExactly(rsa.getCertificate());
	}

	@Test
	void loadWhenInlinePemThenLoaded() {
		IdentitySource inline = IdentitySource.pem(this.pki.server().certificatePem(),
				this.pki.server().privateKeyPem(), null);

		LoadedMaterial material = this.loader
			.load(source(inline, TrustSource.pem(List.of(this.pki.ca().asIssued().certificatePem()))));

		assertThat(material.chain()).containsExactly(this.pki.server().getCertificate());
	}

	@Test
	void identityWhenCertificateNotSetThenFails() {
		assertFailure(() -> this.loader.loadIdentity(IdentitySource.pem(null, this.pki.location("server.key"), null)),
				"mtls.identity.certificate", null, "it is not set",
				"Set mtls.identity.certificate to the PEM certificate chain (leaf first) of this service.");
	}

	@Test
	void identityWhenCertificateFileMissingThenFails() {
		assertFailure(() -> this.loader.loadIdentity(pem("nope.crt", "server.key")), "mtls.identity.certificate",
				this.pki.location("nope.crt"), "the file does not exist", POINT_AT_PEM);
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

		assertFailure(() -> loader.loadIdentity(IdentitySource.pem(location, this.pki.location("server.key"), null)),
				"mtls.identity.certificate", location, "the file cannot be read: /etc/mtls/tls.crt: Permission denied",
				"Make " + location + " readable by the user running the application.");
	}

	@Test
	void identityWhenCertificateNotPemThenFails() {
		this.pki.write("garbage.crt", "this is not a certificate");

		assertFailure(() -> this.loader.loadIdentity(pem("garbage.crt", "server.key")), "mtls.identity.certificate",
				this.pki.location("garbage.crt"), "the file is not PEM: no '-----BEGIN ...-----' block",
				"Point mtls.identity.certificate at a PEM file. Convert DER files with 'openssl x509 -inform der' "
						+ "or 'openssl pkey -inform der'.");
	}

	@Test
	void identityWhenCertificateBlockCorruptThenFails() {
		this.pki.write("corrupt.crt",
				"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

		assertFailure(() -> this.loader.loadIdentity(pem("corrupt.crt", "server.key")), "mtls.identity.certificate",
				this.pki.location("corrupt.crt"), "no X.509 certificate could be read from it: ",
				"Point mtls.identity.certificate at a PEM file holding '-----BEGIN CERTIFICATE-----' blocks.");
	}

	@Test
	void identityWhenCertificateFileHoldsOnlyAKeyThenFails() {
		assertFailure(() -> this.loader.loadIdentity(pem("server.key", "server.key")), "mtls.identity.certificate",
				this.pki.location("server.key"), "no X.509 certificate could be read from it: ",
				"Point mtls.identity.certificate at a PEM file holding '-----BEGIN CERTIFICATE-----' blocks.");
	}

	@Test
	void privateKeyWhenFileHoldsOnlyACertificateThenFails() {
		assertFailure(() -> this.loader.loadIdentity(pem("server.crt", "server.crt")), "mtls.identity.private-key",
				this.pki.location("server.crt"), "the private key cannot be read: ",
				"Point mtls.identity.private-key at a PEM private key (PKCS#8, PKCS#1 or SEC1).");
	}

	@Test
	void privateKeyWhenEncryptedWithoutPasswordThenFails() {
		this.pki.write("encrypted.key", this.pki.server().privateKeyPem(KeyFormat.PKCS8, "s3cret"));

		assertFailure(() -> this.loader.loadIdentity(pem("server.crt", "encrypted.key")), "mtls.identity.private-key",
				this.pki.location("encrypted.key"), "the private key is encrypted and no password is set",
				"Set mtls.identity.private-key-password to the key's password.");
	}

	@Test
	void privateKeyWhenPasswordWrongThenFailsWithoutShowingIt() {
		this.pki.write("encrypted.key", this.pki.server().privateKeyPem(KeyFormat.PKCS8, "s3cret"));
		IdentitySource identity = IdentitySource.pem(this.pki.location("server.crt"),
				this.pki.location("encrypted.key"), "wrong-password");

		assertFailure(() -> this.loader.loadIdentity(identity), "mtls.identity.private-key-password", null,
				"the private key in '" + this.pki.location("encrypted.key") + "' cannot be decrypted with it: ",
				"Set mtls.identity.private-key-password to the password the key was encrypted with.")
			.satisfies((ex) -> assertThat(ex).hasMessageNotContaining("wrong-password"));
	}

	@Test
	void privateKeyWhenInlineButNotPemThenValueNotShown() {
		String base64Key = Base64.getEncoder().encodeToString(this.pki.server().getPrivateKey().getEncoded());
		IdentitySource identity = IdentitySource.pem(this.pki.location("server.crt"), base64Key, null);

		assertFailure(() -> this.loader.loadIdentity(identity), "mtls.identity.private-key",
				"<inline value, " + base64Key.length() + " characters>", "the file does not exist",
				"Point mtls.identity.private-key at an existing, readable PEM file (for example file:/etc/mtls/tls.crt) "
						+ "or put the PEM text inline.")
			.satisfies((ex) -> assertThat(ex).hasMessageNotContaining(base64Key));
	}

	@Test
	void privateKeyWhenOfAnotherEcCertificateThenFails() {
		this.pki.write("other.key", this.pki.ca().certificate("other").issue().privateKeyPem());

		assertKeyMismatch(pem("server.crt", "other.key"), "other.key");
	}

	@Test
	void privateKeyWhenOfAnotherRsaCertificateThenFails() {
		this.pki.write("rsa.crt", this.pki.ca().certificate("localhost").rsa(2048).issue().certificatePem());
		this.pki.write("other-rsa.key", this.pki.ca().certificate("other").rsa(2048).issue().privateKeyPem());

		assertKeyMismatch(pem("rsa.crt", "other-rsa.key"), "other-rsa.key");
	}

	@Test
	void privateKeyWhenRsaForEcCertificateThenFails() {
		this.pki.write("other-rsa.key", this.pki.ca().certificate("other").rsa(2048).issue().privateKeyPem());

		assertKeyMismatch(pem("server.crt", "other-rsa.key"), "other-rsa.key");
	}

	private void assertKeyMismatch(IdentitySource identity, String keyFile) {
		assertFailure(() -> this.loader.loadIdentity(identity), "mtls.identity.private-key", null,
				"the private key in '" + this.pki.location(keyFile) + "' does not match the certificate 'CN=localhost'",
				POINT_AT_KEY);
	}

	@Test
	void identityWhenExpiredThenFails() {
		Instant now = Instant.now();
		writeIdentity("expired", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));

		assertFailure(() -> this.loader.loadIdentity(pem("expired.crt", "expired.key")), "mtls.identity.certificate",
				null, "the identity certificate 'CN=localhost' expired on ",
				"Renew the certificate, or point mtls.identity at a current one.");
	}

	@Test
	void identityWhenNotYetValidThenFails() {
		Instant now = Instant.now();
		writeIdentity("future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));

		assertFailure(() -> this.loader.loadIdentity(pem("future.crt", "future.key")), "mtls.identity.certificate",
				null, "the identity certificate 'CN=localhost' is not valid before ",
				"Check the system clock, or use a certificate that is valid now.");
	}

	private void writeIdentity(String name, Instant notBefore, Instant notAfter) {
		IssuedCertificate certificate = this.pki.ca()
			.certificate("localhost")
			.serverAuth()
			.validity(notBefore, notAfter)
			.issue();
		this.pki.write(name + ".crt", certificate.certificatePem());
		this.pki.write(name + ".key", certificate.privateKeyPem());
	}

	@Test
	void keyStoreWhenValidThenLoaded() {
		this.pki.server().writeKeyStore(this.pki.file("server.jks"), "JKS", "server", "changeit");

		LoadedMaterial material = this.loader
			.load(source(IdentitySource.keyStore(this.pki.location("server.jks"), "changeit", null, null), trust()));

		assertThat(material.chain()).containsExactly(this.pki.server().getCertificate());
		assertThat(material.key().getAlias()).isEqualTo("server");
	}

	@Test
	void keyStoreWhenMissingThenFails() {
		assertFailure(() -> this.loader.loadIdentity(keyStore("nope.p12", "changeit", null)),
				"mtls.identity.keystore.location", this.pki.location("nope.p12"), "the file does not exist",
				"Point mtls.identity.keystore.location at an existing PKCS12 or JKS file.");
	}

	@Test
	void keyStoreWhenPasswordWrongThenFails() {
		this.pki.server().writeKeyStore(this.pki.file("server.p12"), "PKCS12", "server", "changeit");

		assertFailure(() -> this.loader.loadIdentity(keyStore("server.p12", "wrong", null)),
				"mtls.identity.keystore.password", null,
				"the PKCS12 store '" + this.pki.location("server.p12") + "' cannot be opened: ",
				"Set mtls.identity.keystore.password to the store's password.");
	}

	@Test
	void keyStoreWhenNotAKeyStoreThenFails() {
		String location = this.pki.location("server.crt");

		assertFailure(() -> this.loader.loadIdentity(IdentitySource.keyStore(location, "changeit", "JKS", null)),
				"mtls.identity.keystore.location", location, "the JKS store '" + location + "' cannot be opened: ",
				"Check that mtls.identity.keystore.location is a JKS file, or set mtls.identity.keystore.type to its "
						+ "type (PKCS12 or JKS).");
	}

	@Test
	void keyStoreWhenAliasUnknownThenFails() {
		this.pki.server().writeKeyStore(this.pki.file("server.p12"), "PKCS12", "server", "changeit");

		assertFailure(() -> this.loader.loadIdentity(keyStore("server.p12", "changeit", "client")),
				"mtls.identity.keystore.alias", "client",
				"'" + this.pki.location("server.p12")
						+ "' holds no private key entry with this alias (private key entries: [server])",
				"Set mtls.identity.keystore.alias to one of [server].");
	}

	@Test
	void keyStoreWhenOnlySecretKeyThenFails() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setEntry("secret", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
				new KeyStore.PasswordProtection("changeit".toCharArray()));
		try (OutputStream out = Files.newOutputStream(this.pki.file("secret.p12"))) {
			store.store(out, "changeit".toCharArray());
		}

		assertFailure(() -> this.loader.loadIdentity(keyStore("secret.p12", "changeit", null)),
				"mtls.identity.keystore.location", this.pki.location("secret.p12"),
				"the key store holds 0 key entries [], so the identity is ambiguous",
				"Point mtls.identity.keystore.location at a store with a private key.");
	}

	@Test
	void keyStoreWhenExpiredThenFailureNamesKeyStore() {
		Instant now = Instant.now();
		this.pki.ca()
			.certificate("localhost")
			.validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))
			.issue()
			.writeKeyStore(this.pki.file("expired.p12"), "PKCS12", "server", "changeit");

		assertFailure(() -> this.loader.loadIdentity(keyStore("expired.p12", "changeit", null)),
				"mtls.identity.keystore.location", null, "the identity certificate 'CN=localhost' expired on ",
				"Renew the certificate, or point mtls.identity at a current one.");
	}

	private IdentitySource keyStore(String file, String password, String alias) {
		return IdentitySource.keyStore(this.pki.location(file), password, null, alias);
	}

	@Test
	void trustWhenNoneConfiguredThenFails() {
		assertFailure(() -> this.loader.loadTrust(TrustSource.pem(List.of())), "mtls.trust.certificates", null,
				"no trusted CA certificate is configured", SET_TRUST);
	}

	@Test
	void trustWhenDirectoryEmptyThenFails() throws Exception {
		Files.createDirectories(this.pki.file("empty"));

		assertFailure(() -> this.loader.loadTrust(TrustSource.pem(List.of(this.pki.location("empty")))),
				"mtls.trust.certificates[0]", this.pki.location("empty"),
				"the directory holds no '*.pem' or '*.crt' certificate", SET_TRUST);
	}

	@Test
	void trustWhenDirectoryHoldsLeafCertificateThenOnlyCasTrusted() throws Exception {
		Files.createDirectories(this.pki.file("mixed"));
		this.pki.ca().asIssued().writeCertificate(this.pki.file("mixed/ca.crt"));
		this.pki.server().writeCertificate(this.pki.file("mixed/tls.crt"));

		KeyStore trust = this.loader.loadTrust(TrustSource.pem(List.of(this.pki.location("mixed"))));

		assertThat(trust.size()).isOne();
	}

	@Test
	void trustWhenTrustStoreEmptyThenFails() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		try (OutputStream out = Files.newOutputStream(this.pki.file("empty.p12"))) {
			store.store(out, "changeit".toCharArray());
		}
		String location = this.pki.location("empty.p12");

		assertFailure(() -> this.loader.loadTrust(TrustSource.trustStore(location, "changeit", null)),
				"mtls.trust.truststore.location", location, "the trust store holds no certificates", SET_TRUST);
	}

	@Test
	void crlWhenMissingThenFails() {
		String missing = this.pki.location("ca.crl");

		assertFailure(() -> this.loader.loadCrls(List.of(missing)), "mtls.revocation.crls[0]", missing,
				"the file does not exist", "Point mtls.revocation.crls[0] at a CRL file (PEM or DER).");
	}

	@Test
	void crlWhenNotACrlThenFails() {
		assertFailure(() -> this.loader.loadCrls(List.of(this.pki.location("ca.crt"))), "mtls.revocation.crls[0]",
				this.pki.location("ca.crt"), "the file cannot be read as a CRL: ",
				"Point mtls.revocation.crls[0] at a CRL file (PEM '-----BEGIN X509 CRL-----' or DER).");
	}

	@Test
	void crlWhenValidThenLoaded() {
		this.pki.write("ca.crl", this.pki.ca().crl(Duration.ofDays(7)));

		assertThat(this.loader.loadCrls(List.of(this.pki.location("ca.crl")))).hasSize(1);
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
		this.bundles.registerBundle("service", SslBundle.of(new PemSslStoreBundle(
				PemSslStore.of(this.pki.server().getChain(), this.pki.server().getPrivateKey()), null)));

		assertFailure(() -> this.loader.load(bundleSource("service")), "mtls.bundle", "service",
				"the bundle has no trust store",
				"Give the spring.ssl.bundle a truststore, or configure mtls.identity and mtls.trust instead.");
	}

	@Test
	void bundleWhenNamedThenItsIdentityAndTrustLoaded() {
		this.bundles.registerBundle("service",
				SslBundle.of(new PemSslStoreBundle(
						PemSslStore.of(this.pki.server().getChain(), this.pki.server().getPrivateKey()),
						PemSslStore.of(List.of(this.pki.ca().getCertificate()), null))));

		LoadedMaterial material = this.loader.load(bundleSource("service"));

		assertThat(material.chain()).containsExactly(this.pki.server().getCertificate());
		assertThat(material.validator().getTrusted()).containsExactly(this.pki.ca().getCertificate());
	}

	private static TlsMaterialSource bundleSource(String name) {
		return TlsMaterialSource.ofBundle(name, List.of(), CertificatePolicy.DEFAULT, OnlineRevocation.NONE);
	}

	/**
	 * A file that exists but cannot be read, as one without read permission for the user
	 * (tests may run as root, who reads every file).
	 */
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
