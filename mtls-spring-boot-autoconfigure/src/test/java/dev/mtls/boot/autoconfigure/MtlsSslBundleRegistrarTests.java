package dev.mtls.boot.autoconfigure;

import java.util.List;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.TlsDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MtlsSslBundleRegistrar}'s protocols and cipher suites.
 */
class MtlsSslBundleRegistrarTests {

	private final MtlsServerProperties server = new MtlsServerProperties();

	@Test
	void optionsWhenDefaultThenTls13AndTls12WithAeadSuites() {
		SslOptions options = MtlsSslBundleRegistrar.options(this.server);

		assertThat(options.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
		assertThat(options.getCiphers()).containsAll(TlsDefaults.TLS13_CIPHER_SUITES)
			.containsAll(TlsDefaults.TLS12_CIPHER_SUITES)
			.noneMatch((suite) -> suite.contains("CBC") || suite.startsWith("TLS_DHE") || suite.startsWith("TLS_RSA"));
	}

	@Test
	void optionsWhenOnlyTls13ThenNoTls12Suites() {
		this.server.setProtocols(List.of("TLSv1.3"));

		assertThat(MtlsSslBundleRegistrar.options(this.server).getCiphers())
			.containsExactlyElementsOf(TlsDefaults.TLS13_CIPHER_SUITES);
	}

	@Test
	void optionsWhenUnknownProtocolThenFailure() {
		this.server.setProtocols(List.of("TLSv1.3", "TLSv9"));

		assertFailure("mtls.server.protocols[1]", "TLSv9", "only TLSv1.3 and TLSv1.2 are allowed",
				"Use TLSv1.3 or TLSv1.2 in mtls.server.protocols.");
	}

	@Test
	void optionsWhenLegacyProtocolThenFailure() {
		this.server.setProtocols(List.of("TLSv1.2", "TLSv1.1"));

		assertFailure("mtls.server.protocols[1]", "TLSv1.1", "only TLSv1.3 and TLSv1.2 are allowed",
				"Use TLSv1.3 or TLSv1.2 in mtls.server.protocols.");
	}

	@Test
	void optionsWhenNoProtocolThenFailure() {
		this.server.setProtocols(List.of());

		assertFailure("mtls.server.protocols", "", "no protocol is enabled",
				"Set mtls.server.protocols to TLSv1.3, TLSv1.2 or both (the default).");
	}

	@Test
	void optionsWhenUnknownCipherSuiteThenFailure() {
		this.server.setCipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_FANCY_WITH_NOTHING"));

		assertFailure("mtls.server.cipher-suites[1]", "TLS_FANCY_WITH_NOTHING",
				"this JVM does not support the cipher suite",
				"Use IANA cipher suite names, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, in mtls.server.cipher-suites.");
	}

	@Test
	void optionsWhenTls13CipherSuiteListedThenFailure() {
		// Accepted before: TLS 1.2 then had no suite of its own, and nothing said so.
		this.server.setCipherSuites(List.of("TLS_AES_256_GCM_SHA384"));

		assertFailure("mtls.server.cipher-suites[0]", "TLS_AES_256_GCM_SHA384",
				"not a TLS 1.2 cipher suite: TLS 1.3's suites are always enabled with TLSv1.3, and this list holds the TLS 1.2 suites only",
				"Use TLS 1.2 suite names, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, in mtls.server.cipher-suites.");
	}

	@Test
	void optionsWhenTls12WithoutSuitesThenFailure() {
		this.server.setCipherSuites(List.of());

		assertFailure("mtls.server.cipher-suites", "", "TLSv1.2 is enabled but no TLS 1.2 cipher suite is",
				"Leave mtls.server.cipher-suites at its default, or remove TLSv1.2 from mtls.server.protocols.");
	}

	private void assertFailure(String property, String value, String problem, String action) {
		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> MtlsSslBundleRegistrar.options(this.server))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo(property);
				assertThat(ex.getValue()).isEqualTo(value);
				assertThat(ex.getProblem()).isEqualTo(problem);
				assertThat(ex.getAction()).isEqualTo(action);
			});
	}

}
