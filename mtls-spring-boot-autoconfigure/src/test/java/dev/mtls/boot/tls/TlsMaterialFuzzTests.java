package dev.mtls.boot.tls;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;

import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loading identity and trust from hostile files: PEM certificate chains and private keys
 * in every format (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8 and legacy encrypted PEM, with
 * garbage between blocks), PKCS12 and JKS key stores, PEM trust. The contract: material,
 * or {@link MtlsConfigurationException} naming the property; nothing else thrown. Inputs
 * never become file locations: the key store is served from memory, and PEM without a PEM
 * block is skipped. The seeds (in {@code TlsMaterialFuzzTestsInputs}) are real files:
 * certificate, NUL, key, NUL, password for PEM; a type byte (even: PKCS12, odd: JKS) and
 * the store, password {@code changeit}, for key stores.
 */
class TlsMaterialFuzzTests {

	private static final String STORE = "fuzz:store";

	@FuzzTest(maxDuration = "10s")
	void pemIdentity(byte[] input) {
		String[] parts = new String(input, StandardCharsets.UTF_8).split("\0", 3);
		String certificate = parts[0];
		String key = (parts.length > 1) ? parts[1] : "";
		String password = (parts.length > 2) ? parts[2] : null;
		if (!PemContent.isPresentInText(certificate) || !PemContent.isPresentInText(key)) {
			return;
		}
		expectMaterialOrConfigurationError(
				() -> loader(new byte[0]).loadIdentity(IdentitySource.pem(certificate, key, password)));
	}

	@FuzzTest(maxDuration = "10s")
	void keyStoreIdentity(byte[] input) {
		if (input.length == 0) {
			return;
		}
		String type = (input[0] % 2 == 0) ? "PKCS12" : "JKS";
		byte[] store = Arrays.copyOfRange(input, 1, input.length);
		expectMaterialOrConfigurationError(
				() -> loader(store).loadIdentity(IdentitySource.keyStore(STORE, "changeit", type, null)));
	}

	@FuzzTest(maxDuration = "10s")
	void pemTrust(byte[] input) {
		String certificates = new String(input, StandardCharsets.UTF_8);
		if (!PemContent.isPresentInText(certificates)) {
			return;
		}
		expectMaterialOrConfigurationError(() -> loader(new byte[0]).loadTrust(TrustSource.pem(List.of(certificates))));
	}

	private static void expectMaterialOrConfigurationError(Runnable load) {
		try {
			load.run();
		}
		catch (MtlsConfigurationException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	private static TlsMaterialLoader loader(byte[] store) {
		return new TlsMaterialLoader(new DefaultResourceLoader() {

			@Override
			public Resource getResource(String location) {
				if (STORE.equals(location)) {
					return new ByteArrayResource(store, STORE);
				}
				throw new IllegalStateException("The fuzz input became a location: " + location);
			}

		}, () -> {
			throw new IllegalStateException("No SSL bundles in a fuzz test");
		});
	}

}
