package dev.mtls.boot.config;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mtls.boot.testsupport.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact failure analysis text of each start-up misconfiguration whose reason does not
 * depend on the JDK's wording or the clock (those are covered by
 * {@link MtlsAutoConfigurationTests}).
 */
class MtlsConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class));

	@TempDir
	Path directory;

	TestPki pki;

	@BeforeEach
	void mint() {
		this.pki = new TestPki(this.directory);
	}

	private void assertAnalysis(String[] properties, String description, String action) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			FailureAnalysis analysis = new MtlsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());

			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).isEqualTo(description);
			assertThat(analysis.getAction()).isEqualTo(action);
		});
	}

	private static String description(String property, String value, String reason) {
		String shown = (value != null) ? " with value '" + value + "'" : "";
		return "mTLS could not be configured: property '%s'%s is invalid.%n%nReason: %s".formatted(property, shown, reason);
	}

	@Test
	void noIdentity() {
		assertAnalysis(new String[0], description("mtls.identity.certificate", null,
				"mTLS is enabled but no identity is configured: none of mtls.identity.certificate, "
						+ "mtls.identity.keystore.location or mtls.bundle is set, and dev mode is off"),
				"Set mtls.identity.certificate and mtls.identity.private-key (or mtls.identity.keystore.location, "
						+ "or mtls.bundle) to this service's certificate and key; or set mtls.dev.enabled=true to "
						+ "mint local development certificates; or set mtls.enabled=false to turn mTLS off.");
	}

	@Test
	void certificateFileMissing() {
		String missing = "file:" + this.directory.resolve("nope.crt");
		assertAnalysis(this.pki.serviceProperties("mtls.identity.certificate=" + missing),
				description("mtls.identity.certificate", missing, "the file does not exist"),
				"Point mtls.identity.certificate at an existing, readable PEM file (for example file:/etc/mtls/tls.crt) "
						+ "or put the PEM text inline.");
	}

	@Test
	void certificateFileNotPem() {
		this.pki.write("garbage.crt", "garbage");
		String location = this.pki.location("garbage.crt");
		assertAnalysis(this.pki.serviceProperties("mtls.identity.certificate=" + location),
				description("mtls.identity.certificate", location, "the file is not PEM: no '-----BEGIN ...-----' block"),
				"Point mtls.identity.certificate at a PEM file. Convert DER files with 'openssl x509 -inform der' "
						+ "or 'openssl pkey -inform der'.");
	}

	@Test
	void privateKeyMismatch() {
		this.pki.write("other.key", this.pki.ca().certificate("other").issue().privateKeyPem());
		String location = this.pki.location("other.key");
		assertAnalysis(this.pki.serviceProperties("mtls.identity.private-key=" + location),
				description("mtls.identity.private-key", null,
						"the private key in '" + location + "' does not match the certificate 'CN=localhost'"),
				"Point mtls.identity.private-key at the key of the certificate in mtls.identity.certificate, "
						+ "or fix the certificate.");
	}

	@Test
	void encryptedKeyWithoutPassword() {
		this.pki.write("encrypted.key",
				this.pki.server().privateKeyPem(dev.mtls.boot.dev.IssuedCertificate.KeyFormat.PKCS8, "s3cret"));
		String location = this.pki.location("encrypted.key");
		assertAnalysis(this.pki.serviceProperties("mtls.identity.private-key=" + location),
				description("mtls.identity.private-key", location, "the private key is encrypted and no password is set"),
				"Set mtls.identity.private-key-password to the key's password.");
	}

	@Test
	void trustMissing() {
		assertAnalysis(new String[] { "mtls.identity.certificate=" + this.pki.location("server.crt"),
				"mtls.identity.private-key=" + this.pki.location("server.key") },
				description("mtls.trust.certificates", null, "no trusted CA certificate is configured"),
				"Set mtls.trust.certificates to the PEM certificates (files or directories) of the CAs whose clients "
						+ "and servers this service trusts, or mtls.trust.truststore.location to a trust store.");
	}

	@Test
	void trustDirectoryEmpty() throws Exception {
		Files.createDirectories(this.pki.file("empty"));
		String location = this.pki.location("empty");
		assertAnalysis(this.pki.serviceProperties("mtls.trust.certificates=" + location),
				description("mtls.trust.certificates[0]", location, "the directory holds no '*.pem' or '*.crt' certificate"),
				"Set mtls.trust.certificates to the PEM certificates (files or directories) of the CAs whose clients "
						+ "and servers this service trusts, or mtls.trust.truststore.location to a trust store.");
	}

	@Test
	void crlMissing() {
		String missing = "file:" + this.directory.resolve("ca.crl");
		assertAnalysis(this.pki.serviceProperties("mtls.revocation.crls=" + missing),
				description("mtls.revocation.crls[0]", missing, "the file does not exist"),
				"Point mtls.revocation.crls[0] at a CRL file (PEM or DER).");
	}

	@Test
	void protocolNotAllowed() {
		assertAnalysis(this.pki.serviceProperties("mtls.server.protocols=TLSv1.3,TLSv1"),
				description("mtls.server.protocols[1]", "TLSv1", "only TLSv1.3 and TLSv1.2 are allowed"),
				"Use TLSv1.3 or TLSv1.2 in mtls.server.protocols.");
	}

	@Test
	void cipherSuiteUnknown() {
		assertAnalysis(this.pki.serviceProperties("mtls.server.cipher-suites=FANCY"),
				description("mtls.server.cipher-suites[0]", "FANCY", "this JVM does not support the cipher suite"),
				"Use IANA cipher suite names, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, in mtls.server.cipher-suites.");
	}

	@Test
	void bundleNamedMtls() {
		assertAnalysis(new String[] { "mtls.bundle=mtls" },
				description("mtls.bundle", "mtls", "'mtls' is the name of the bundle the starter registers"),
				"Give the spring.ssl.bundle another name, such as 'service', and set mtls.bundle to it.");
	}

	@Test
	void bundleUnknown() {
		assertAnalysis(new String[] { "mtls.bundle=missing" },
				description("mtls.bundle", "missing", "no SSL bundle with this name is configured"),
				"Set mtls.bundle to the name of a bundle under spring.ssl.bundle.pem or spring.ssl.bundle.jks, "
						+ "or configure mtls.identity and mtls.trust instead.");
	}

}
