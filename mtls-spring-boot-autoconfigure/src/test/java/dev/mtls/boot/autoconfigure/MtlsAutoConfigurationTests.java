package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.config.MtlsFailureAnalyses;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.TlsDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import dev.mtls.boot.dev.IssuedCertificate;
import dev.mtls.boot.dev.IssuedCertificate.KeyFormat;
import dev.mtls.boot.testsupport.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.ssl.SslBundleRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link MtlsAutoConfiguration}.
 */
class MtlsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class));

	@TempDir
	Path directory;

	TestPki pki;

	@BeforeEach
	void mint() {
		this.pki = new TestPki(this.directory);
	}

	@Test
	void bundleWhenPemIdentityAndTrustThenRegisteredWithDefaultOptions() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties()).run((context) -> {
			SslBundle bundle = context.getBean(SslBundles.class).getBundle("mtls");

			assertThat(bundle.getStores().getKeyStore().getCertificate("mtls")).isEqualTo(this.pki.server().getCertificate());
			assertThat(bundle.getStores().getTrustStore().size()).isOne();
			assertThat(bundle.getOptions().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
			assertThat(bundle.getOptions().getCiphers()).containsAll(TlsDefaults.TLS13_CIPHER_SUITES)
				.containsAll(TlsDefaults.TLS12_CIPHER_SUITES)
				.noneMatch((suite) -> suite.contains("CBC") || suite.startsWith("TLS_DHE") || suite.startsWith("TLS_RSA"));
			assertThat(bundle.createSslContext()).isNotNull();
		});
	}

	@Test
	void bundleWhenTrustIsInlinePemThenRegistered() {
		this.contextRunner
			.withPropertyValues("mtls.identity.certificate=" + this.pki.location("server.crt"),
					"mtls.identity.private-key=" + this.pki.location("server.key"))
			.withPropertyValues("mtls.trust.certificates[0]=" + this.pki.ca().asIssued().certificatePem())
			.run((context) -> assertThat(context.getBean(SslBundles.class).getBundle("mtls").getStores().getTrustStore()
				.size()).isOne());
	}

	@Test
	void bundleWhenOnlyTls13ThenNoTls12Suites() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.server.protocols=TLSv1.3"))
			.run((context) -> assertThat(context.getBean(SslBundles.class).getBundle("mtls").getOptions().getCiphers())
				.containsExactlyElementsOf(TlsDefaults.TLS13_CIPHER_SUITES));
	}

	@Test
	void autoConfigurationWhenDisabledThenBacksOff() {
		this.contextRunner.withPropertyValues("mtls.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MtlsSslBundleRegistrar.class));
	}

	@Test
	void registrarWhenUserDefinesOneThenBacksOff() {
		MtlsProperties properties = new MtlsProperties();
		MtlsTlsMaterial material = mock(MtlsTlsMaterial.class);
		MtlsSslBundleRegistrar own = new MtlsSslBundleRegistrar(material, properties) {
			@Override
			public void registerBundles(SslBundleRegistry registry) {
				registry.registerBundle("mtls", SslBundle.systemDefault());
			}
		};
		this.contextRunner.withPropertyValues(this.pki.serviceProperties())
			.withBean(MtlsSslBundleRegistrar.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().getBean(MtlsSslBundleRegistrar.class).isSameAs(own));
	}

	@Test
	void bundleWhenMtlsBundleNamesSpringBundleThenViewWithStarterOptions() {
		this.contextRunner
			.withPropertyValues("mtls.bundle=corp",
					"spring.ssl.bundle.pem.corp.keystore.certificate=" + this.pki.location("server.crt"),
					"spring.ssl.bundle.pem.corp.keystore.private-key=" + this.pki.location("server.key"),
					"spring.ssl.bundle.pem.corp.truststore.certificate=" + this.pki.location("ca.crt"))
			.run((context) -> {
				SslBundle bundle = context.getBean(SslBundles.class).getBundle("mtls");

				assertThat(bundle.getStores().getTrustStore().size()).isOne();
				assertThat(bundle.getOptions().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
			});
	}

	@Test
	void startupWhenMtlsBundleUnknownThenFailureNamesProperty() {
		this.contextRunner.withPropertyValues("mtls.bundle=missing")
			.run((context) -> assertFailure(context, "mtls.bundle", "missing", "no SSL bundle with this name is configured",
					"Set mtls.bundle to the name of a bundle under spring.ssl.bundle.pem or spring.ssl.bundle.jks"));
	}

	@Test
	void startupWhenMtlsBundleAndIdentityThenMutuallyExclusive() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.bundle=corp")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
				.satisfies((ex) -> assertThat(
						((MutuallyExclusiveConfigurationPropertiesException) ex).getConfiguredNames())
					.contains("mtls.bundle", "mtls.identity.certificate", "mtls.trust.certificates"));
		});
	}

	@Test
	void startupWhenNoIdentityAndDevModeOffThenFailureSaysHowToFix() {
		this.contextRunner.run((context) -> assertFailure(context, "mtls.identity.certificate", null,
				"mTLS is enabled but no identity is configured",
				"or set mtls.dev.enabled=true to mint local development certificates; or set mtls.enabled=false"));
	}

	@Test
	void startupWhenCertificateFileMissingThenFailureNamesFile() {
		String missing = "file:" + this.directory.resolve("nope.crt");
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.identity.certificate=" + missing))
			.run((context) -> assertFailure(context, "mtls.identity.certificate", missing, "the file does not exist",
					"Point mtls.identity.certificate at an existing, readable PEM file"));
	}

	@Test
	void startupWhenCertificateFileNotPemThenFailure() {
		this.pki.write("garbage.crt", "this is not a certificate");
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.identity.certificate=" + this.pki.location("garbage.crt")))
			.run((context) -> assertFailure(context, "mtls.identity.certificate", this.pki.location("garbage.crt"),
					"the file is not PEM", "Point mtls.identity.certificate at a PEM file"));
	}

	@Test
	void startupWhenPrivateKeyDoesNotMatchCertificateThenFailure() {
		IssuedCertificate other = this.pki.ca().certificate("other").issue();
		this.pki.write("other.key", other.privateKeyPem());
		assertKeyMismatch("other.key");
	}

	@Test
	void startupWhenRsaPrivateKeyOfAnotherRsaCertificateThenFailure() {
		IssuedCertificate rsa = this.pki.ca().certificate("localhost").rsa(2048).issue();
		IssuedCertificate other = this.pki.ca().certificate("other").rsa(2048).issue();
		this.pki.write("rsa.crt", rsa.certificatePem());
		this.pki.write("other-rsa.key", other.privateKeyPem());
		assertKeyMismatch("other-rsa.key", "mtls.identity.certificate=" + this.pki.location("rsa.crt"));
	}

	@Test
	void startupWhenRsaPrivateKeyForEcCertificateThenFailure() {
		IssuedCertificate other = this.pki.ca().certificate("other").rsa(2048).issue();
		this.pki.write("other-rsa.key", other.privateKeyPem());
		assertKeyMismatch("other-rsa.key");
	}

	private void assertKeyMismatch(String keyFile, String... more) {
		String[] properties = Arrays.copyOf(more, more.length + 1);
		properties[more.length] = "mtls.identity.private-key=" + this.pki.location(keyFile);
		this.contextRunner.withPropertyValues(this.pki.serviceProperties(properties))
			.run((context) -> assertFailure(context, "mtls.identity.private-key", null,
					"the private key in '" + this.pki.location(keyFile) + "' does not match the certificate 'CN=localhost'",
					"Point mtls.identity.private-key at the key of the certificate in mtls.identity.certificate"));
	}

	@Test
	void startupWhenRsaIdentityMatchesThenStarts() {
		IssuedCertificate rsa = this.pki.ca().certificate("localhost").rsa(2048).issue();
		this.pki.write("rsa.crt", rsa.certificatePem());
		this.pki.write("rsa.key", rsa.privateKeyPem());
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.identity.certificate=" + this.pki.location("rsa.crt"),
					"mtls.identity.private-key=" + this.pki.location("rsa.key")))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenEncryptedKeyWithoutPasswordThenFailure() {
		this.pki.write("encrypted.key", this.pki.server().privateKeyPem(KeyFormat.PKCS8, "s3cret"));
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.identity.private-key=" + this.pki.location("encrypted.key")))
			.run((context) -> assertFailure(context, "mtls.identity.private-key", this.pki.location("encrypted.key"),
					"the private key is encrypted and no password is set",
					"Set mtls.identity.private-key-password to the key's password."));
	}

	@Test
	void startupWhenEncryptedKeyWithWrongPasswordThenFailureDoesNotShowPassword() {
		this.pki.write("encrypted.key", this.pki.server().privateKeyPem(KeyFormat.PKCS8, "s3cret"));
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.identity.private-key=" + this.pki.location("encrypted.key"),
					"mtls.identity.private-key-password=wrong-password"))
			.run((context) -> {
				assertFailure(context, "mtls.identity.private-key-password", null, "cannot be decrypted with it",
						"Set mtls.identity.private-key-password to the password the key was encrypted with.");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("private-key-password")
					.satisfies((ex) -> assertThat(describe(context)).doesNotContain("wrong-password"));
			});
	}

	@Test
	void startupWhenKeyStorePasswordWrongThenFailure() {
		this.pki.server().writeKeyStore(this.pki.file("server.p12"), "PKCS12", "server", "changeit");
		this.contextRunner
			.withPropertyValues("mtls.identity.keystore.location=" + this.pki.location("server.p12"),
					"mtls.identity.keystore.password=wrong", "mtls.trust.certificates=" + this.pki.location("ca.crt"))
			.run((context) -> assertFailure(context, "mtls.identity.keystore.password", null, "cannot be opened",
					"Set mtls.identity.keystore.password to the store's password."));
	}

	@Test
	void startupWhenKeyStoreAliasUnknownThenFailure() {
		this.pki.server().writeKeyStore(this.pki.file("server.p12"), "PKCS12", "server", "changeit");
		this.contextRunner
			.withPropertyValues("mtls.identity.keystore.location=" + this.pki.location("server.p12"),
					"mtls.identity.keystore.password=changeit", "mtls.identity.keystore.alias=client",
					"mtls.trust.certificates=" + this.pki.location("ca.crt"))
			.run((context) -> assertFailure(context, "mtls.identity.keystore.alias", "client",
					"holds no private key entry with this alias (private key entries: [server])",
					"Set mtls.identity.keystore.alias to one of [server]."));
	}

	@Test
	void startupWhenIdentityExpiredThenFailure() {
		Instant now = Instant.now();
		IssuedCertificate expired = this.pki.ca().certificate("localhost").serverAuth()
			.validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).issue();
		this.pki.write("expired.crt", expired.certificatePem());
		this.pki.write("expired.key", expired.privateKeyPem());
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.identity.certificate=" + this.pki.location("expired.crt"),
					"mtls.identity.private-key=" + this.pki.location("expired.key")))
			.run((context) -> assertFailure(context, "mtls.identity.certificate", null,
					"the identity certificate 'CN=localhost' expired on",
					"Renew the certificate, or point mtls.identity at a current one."));
	}

	@Test
	void startupWhenIdentityNotYetValidThenFailure() {
		Instant now = Instant.now();
		IssuedCertificate future = this.pki.ca().certificate("localhost").serverAuth()
			.validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))).issue();
		this.pki.write("future.crt", future.certificatePem());
		this.pki.write("future.key", future.privateKeyPem());
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.identity.certificate=" + this.pki.location("future.crt"),
					"mtls.identity.private-key=" + this.pki.location("future.key")))
			.run((context) -> assertFailure(context, "mtls.identity.certificate", null,
					"the identity certificate 'CN=localhost' is not valid before",
					"Check the system clock, or use a certificate that is valid now."));
	}

	@Test
	void startupWhenTrustNotConfiguredThenFailure() {
		this.contextRunner
			.withPropertyValues("mtls.identity.certificate=" + this.pki.location("server.crt"),
					"mtls.identity.private-key=" + this.pki.location("server.key"))
			.run((context) -> assertFailure(context, "mtls.trust.certificates", null,
					"no trusted CA certificate is configured", "Set mtls.trust.certificates to the PEM certificates"));
	}

	@Test
	void startupWhenTrustDirectoryEmptyThenFailure() throws Exception {
		java.nio.file.Files.createDirectories(this.pki.file("empty"));
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.trust.certificates=" + this.pki.location("empty")))
			.run((context) -> assertFailure(context, "mtls.trust.certificates[0]", this.pki.location("empty"),
					"the directory holds no '*.pem' or '*.crt' certificate",
					"Set mtls.trust.certificates to the PEM certificates"));
	}

	@Test
	void startupWhenCipherSuiteUnknownThenFailure() {
		this.contextRunner
			.withPropertyValues(this.pki.serviceProperties("mtls.server.cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,FANCY"))
			.run((context) -> assertFailure(context, "mtls.server.cipher-suites[1]", "FANCY",
					"this JVM does not support the cipher suite", "Use IANA cipher suite names"));
	}

	@Test
	void startupWhenProtocolUnknownThenFailure() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.server.protocols=TLSv1.3,TLSv9"))
			.run((context) -> assertFailure(context, "mtls.server.protocols[1]", "TLSv9",
					"only TLSv1.3 and TLSv1.2 are allowed", "Use TLSv1.3 or TLSv1.2 in mtls.server.protocols."));
	}

	@Test
	void startupWhenLegacyProtocolThenFailure() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.server.protocols=TLSv1.2,TLSv1.1"))
			.run((context) -> assertFailure(context, "mtls.server.protocols[1]", "TLSv1.1",
					"only TLSv1.3 and TLSv1.2 are allowed", "Use TLSv1.3 or TLSv1.2 in mtls.server.protocols."));
	}

	@Test
	void startupWhenMtlsBundleIsMtlsThenFailure() {
		this.contextRunner.withPropertyValues("mtls.bundle=mtls")
			.run((context) -> assertFailure(context, "mtls.bundle", "mtls",
					"'mtls' is the name of the bundle the starter registers",
					"Give the spring.ssl.bundle another name"));
	}

	@Test
	void startupWhenPrivateKeyIsNotPemThenFailureDoesNotShowValue() {
		String base64Key = java.util.Base64.getEncoder().encodeToString(this.pki.server().getPrivateKey().getEncoded());
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.identity.private-key=" + base64Key))
			.run((context) -> {
				assertFailure(context, "mtls.identity.private-key", "<inline value, " + base64Key.length() + " characters>",
						"the file does not exist", "Point mtls.identity.private-key at an existing, readable PEM file");
				assertThat(describe(context)).doesNotContain(base64Key);
				assertThat(context.getStartupFailure()).hasMessageNotContaining(base64Key);
			});
	}

	@Test
	void startupWhenKeyStoreHoldsOnlySecretKeyThenFailure() throws Exception {
		java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setEntry("secret", new java.security.KeyStore.SecretKeyEntry(new javax.crypto.spec.SecretKeySpec(new byte[16], "AES")),
				new java.security.KeyStore.PasswordProtection("changeit".toCharArray()));
		try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(this.pki.file("secret.p12"))) {
			store.store(out, "changeit".toCharArray());
		}
		this.contextRunner
			.withPropertyValues("mtls.identity.keystore.location=" + this.pki.location("secret.p12"),
					"mtls.identity.keystore.password=changeit", "mtls.trust.certificates=" + this.pki.location("ca.crt"))
			.run((context) -> assertFailure(context, "mtls.identity.keystore.location", this.pki.location("secret.p12"),
					"the key store holds 0 key entries [], so the identity is ambiguous",
					"Point mtls.identity.keystore.location at a store with a private key."));
	}

	@Test
	void startupWhenKeyStoreIdentityExpiredThenFailureNamesKeyStore() {
		Instant now = Instant.now();
		this.pki.ca().certificate("localhost").validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))
			.issue().writeKeyStore(this.pki.file("expired.p12"), "PKCS12", "server", "changeit");
		this.contextRunner
			.withPropertyValues("mtls.identity.keystore.location=" + this.pki.location("expired.p12"),
					"mtls.identity.keystore.password=changeit", "mtls.trust.certificates=" + this.pki.location("ca.crt"))
			.run((context) -> assertFailure(context, "mtls.identity.keystore.location", null,
					"the identity certificate 'CN=localhost' expired on", "Renew the certificate"));
	}

	@Test
	void trustWhenDirectoryHoldsLeafCertificateThenOnlyCasTrusted() throws Exception {
		java.nio.file.Files.createDirectories(this.pki.file("mixed"));
		this.pki.ca().asIssued().writeCertificate(this.pki.file("mixed/ca.crt"));
		this.pki.server().writeCertificate(this.pki.file("mixed/tls.crt"));
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.trust.certificates=" + this.pki.location("mixed")))
			.run((context) -> assertThat(context.getBean(SslBundles.class).getBundle("mtls").getStores().getTrustStore().size())
				.isOne());
	}

	@Test
	void startupWhenUnknownMtlsPropertyThenBindingFails() {
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.identity.certficate=typo"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("mtls.identity.certficate"));
	}

	@Test
	void bundleWhenDevModeThenMintedInDirectoryAndUsed() {
		Path dev = this.directory.resolve("dev");
		this.contextRunner.withPropertyValues("mtls.dev.enabled=true", "mtls.dev.directory=" + dev,
				"mtls.dev.clients=carol").run((context) -> {
					SslBundle bundle = context.getBean(SslBundles.class).getBundle("mtls");

					assertThat(dev.resolve("ca.crt")).exists();
					assertThat(dev.resolve("carol.p12")).exists();
					assertThat(dev.resolve("alice.crt")).doesNotExist();
					assertThat(((java.security.cert.X509Certificate) bundle.getStores().getKeyStore().getCertificate("mtls"))
						.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
				});
	}

	@Test
	void bundleWhenDevModeAndIdentityConfiguredThenIdentityWins() {
		Path dev = this.directory.resolve("dev");
		this.contextRunner.withPropertyValues(this.pki.serviceProperties("mtls.dev.enabled=true", "mtls.dev.directory=" + dev))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(dev).doesNotExist();
			});
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String value,
			String problem, String action) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = analyze(context);
		assertThat(analysis).as("failure analysis").isNotNull();
		String shownValue = (value != null) ? " with value '" + value + "'" : "";
		assertThat(analysis.getDescription())
			.startsWith("mTLS could not be configured: property '" + property + "'" + shownValue + " is invalid.")
			.contains("Reason: ")
			.contains(problem);
		assertThat(analysis.getAction()).contains(action);
	}

	private static String describe(AssertableApplicationContext context) {
		FailureAnalysis analysis = analyze(context);
		return analysis.getDescription() + analysis.getAction();
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		return MtlsFailureAnalyses.analyze(context.getStartupFailure());
	}

}
