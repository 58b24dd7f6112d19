package dev.mtls.boot.autoconfigure;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * No password and no private key material reaches a log (every {@code dev.mtls} and
 * Spring Security logger at TRACE), an exception, an actuator response or a failure
 * analysis: a service with an encrypted PEM key and a password-protected trust store
 * serves and answers ten actuator endpoints (all but those that dump the heap or the
 * threads, or change state), and services with a wrong password, a wrong key store
 * password and a key that does not match fail to start; everything they wrote is scanned
 * for the passwords and for the key in every encoding it has.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class SecretsTests {

	private static final String KEY_PASSWORD = "pem-Key-Pa55word";

	private static final String KEY_STORE_PASSWORD = "p12-Store-Pa55word";

	private static final String TRUST_STORE_PASSWORD = "p12-Trust-Pa55word";

	private static final String[] TRACE = { "logging.level.dev.mtls=TRACE",
			"logging.level.org.springframework.security=TRACE", "mtls.reload.enabled=false" };

	@Test
	void serviceWhenServingAndFailingToStartThenNoSecretInAnyOutput(TestCertificateAuthority ca, CapturedOutput output)
			throws IOException {
		TestCertificate server = ca.getServerCertificate();
		Path encryptedKey = Files.writeString(ca.getDirectory().resolve("server-encrypted.key"),
				server.getEncryptedPrivateKeyPem(KEY_PASSWORD));
		String certificate = ca.writePem("server", server).certificateLocation();
		ca.writeTrustStore("trust", "PKCS12", TRUST_STORE_PASSWORD);
		ca.writePkcs12("identity", server, KEY_STORE_PASSWORD);
		StringBuilder written = new StringBuilder();

		try (TestService service = TestService.start(properties("mtls.identity.certificate=" + certificate,
				"mtls.identity.private-key=file:" + encryptedKey, "mtls.identity.private-key-password=" + KEY_PASSWORD,
				"mtls.trust.truststore.location=" + ca.fileLocation("trust.p12"),
				"mtls.trust.truststore.password=" + TRUST_STORE_PASSWORD, "management.endpoints.web.exposure.include=*",
				"mtls.management.show-details=always", "management.endpoint.health.show-details=always",
				"management.info.mtls.enabled=true"))) {
			for (String path : List.of("/whoami", "/actuator/mtls", "/actuator/health", "/actuator/info",
					"/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/metrics",
					"/actuator/loggers", "/actuator/conditions")) {
				String response = TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), service.port(), path);
				assertThat(response).as(path).startsWith("HTTP/1.1 200");
				written.append(response);
			}
			written.append(TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), service.port(),
					"/actuator/env/mtls.identity.private-key-password"));
		}
		written.append(startFailure(
				properties("mtls.identity.certificate=" + certificate, "mtls.identity.private-key=file:" + encryptedKey,
						"mtls.identity.private-key-password=wrong-" + KEY_PASSWORD,
						"mtls.trust.certificates=" + ca.fileLocation("ca.crt"))));
		written.append(startFailure(properties("mtls.identity.keystore.location=" + ca.fileLocation("identity.p12"),
				"mtls.identity.keystore.password=wrong-" + KEY_STORE_PASSWORD,
				"mtls.trust.certificates=" + ca.fileLocation("ca.crt"))));
		written.append(startFailure(properties("mtls.identity.keystore.location=" + ca.fileLocation("identity.p12"),
				"mtls.identity.keystore.password=" + KEY_STORE_PASSWORD,
				"mtls.trust.truststore.location=" + ca.fileLocation("trust.p12"),
				"mtls.trust.truststore.password=wrong-" + TRUST_STORE_PASSWORD)));
		TestCertificate other = ca.client("other");
		Path otherKey = Files.writeString(ca.getDirectory().resolve("other-encrypted.key"),
				other.getEncryptedPrivateKeyPem(KEY_PASSWORD));
		written.append(startFailure(properties("mtls.identity.certificate=" + certificate,
				"mtls.identity.private-key=file:" + otherKey, "mtls.identity.private-key-password=" + KEY_PASSWORD,
				"mtls.trust.certificates=" + ca.fileLocation("ca.crt"))));
		written.append(output.getAll());

		assertThat(output.getAll()).contains("mtls.identity.private-key-password").contains("TRACE");
		List<String> secrets = secrets(server, other);
		// Encrypted anew (salt, IV) on every call: the files as written.
		for (Path file : List.of(encryptedKey, otherKey)) {
			Files.readString(file).lines().filter((line) -> !line.startsWith("-----")).forEach(secrets::add);
		}
		for (String secret : secrets) {
			assertThat(written.indexOf(secret)).as("a secret was written: %s", secret).isEqualTo(-1);
		}
	}

	private static String[] properties(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of(TRACE));
		return all.toArray(String[]::new);
	}

	// The exception of a failed start, with its causes and stack traces (the failure
	// analysis is in the log).
	private static String startFailure(String... properties) {
		Throwable failure = catchThrowable(() -> TestService.start(properties).close());
		assertThat(failure).isNotNull();
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	// The passwords, and each key as PKCS#8 bytes in Base64 (whole, and each line of its
	// PEM forms, plain and encrypted) and its private value in hex and decimal.
	private static List<String> secrets(TestCertificate... keys) {
		List<String> secrets = new ArrayList<>(List.of(KEY_PASSWORD, KEY_STORE_PASSWORD, TRUST_STORE_PASSWORD));
		for (TestCertificate key : keys) {
			byte[] pkcs8 = key.getPrivateKey().getEncoded();
			secrets.add(Base64.getEncoder().encodeToString(pkcs8));
			secrets.add(Base64.getMimeEncoder().encodeToString(pkcs8).lines().findFirst().orElseThrow());
			for (String pem : List.of(key.getPrivateKeyPem(), key.getEncryptedPrivateKeyPem(KEY_PASSWORD))) {
				pem.lines().filter((line) -> !line.startsWith("-----") && line.length() >= 16).forEach(secrets::add);
			}
			String hex = ((ECPrivateKey) key.getPrivateKey()).getS().toString(16);
			secrets.add(hex);
			secrets.add(hex.toUpperCase(Locale.ROOT));
			secrets.add(((ECPrivateKey) key.getPrivateKey()).getS().toString());
			secrets.add(HexFormat.of().formatHex(pkcs8).substring(pkcs8.length));
		}
		return secrets;
	}

}
