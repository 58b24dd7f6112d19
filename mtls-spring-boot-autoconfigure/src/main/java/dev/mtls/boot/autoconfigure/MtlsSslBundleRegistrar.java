package dev.mtls.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.TlsDefaults;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslOptions;

/**
 * Registers the {@value MtlsProperties#DEFAULT_BUNDLE_NAME} SSL bundle: the current
 * {@link MtlsTlsMaterial} (from {@code mtls.identity} and {@code mtls.trust}, dev mode,
 * or the bundle named by {@code mtls.bundle}) with the protocols and cipher suites of
 * {@code mtls.server}.
 */
class MtlsSslBundleRegistrar implements SslBundleRegistrar {

	private static final Log logger = LogFactory.getLog(MtlsSslBundleRegistrar.class);

	private final MtlsTlsMaterial material;

	private final MtlsProperties properties;

	MtlsSslBundleRegistrar(MtlsTlsMaterial material, MtlsProperties properties) {
		this.material = material;
		this.properties = properties;
	}

	@Override
	public void registerBundles(SslBundleRegistry registry) {
		registry.registerBundle(MtlsProperties.DEFAULT_BUNDLE_NAME,
				this.material.bundle(options(this.properties.getServer())));
	}

	static SslOptions options(MtlsServerProperties server) {
		SSLParameters supported = supportedParameters();
		Set<String> supportedProtocols = Set.of(supported.getProtocols());
		List<String> protocols = server.getProtocols();
		if (protocols.isEmpty()) {
			throw new MtlsConfigurationException("mtls.server.protocols", "", "no protocol is enabled",
					"Set mtls.server.protocols to TLSv1.3, TLSv1.2 or both (the default).");
		}
		for (int i = 0; i < protocols.size(); i++) {
			String protocol = protocols.get(i);
			if (!TlsDefaults.PROTOCOLS.contains(protocol) || !supportedProtocols.contains(protocol)) {
				throw new MtlsConfigurationException("mtls.server.protocols[%d]".formatted(i), protocol,
						TlsDefaults.PROTOCOLS.contains(protocol) ? "this JVM does not support the protocol"
								: "only TLSv1.3 and TLSv1.2 are allowed",
						"Use TLSv1.3 or TLSv1.2 in mtls.server.protocols.");
			}
		}
		Set<String> supportedSuites = Set.of(supported.getCipherSuites());
		Set<String> suites = new LinkedHashSet<>();
		if (protocols.contains("TLSv1.3")) {
			suites.addAll(TlsDefaults.TLS13_CIPHER_SUITES);
		}
		List<String> configured = server.getCipherSuites();
		for (int i = 0; i < configured.size(); i++) {
			// Every TLS 1.2 suite's IANA name has _WITH_; TLS 1.3's
			// (TLS_AES_128_GCM_SHA256)
			// and signalling values (TLS_EMPTY_RENEGOTIATION_INFO_SCSV) do not.
			if (!configured.get(i).contains("_WITH_")) {
				throw new MtlsConfigurationException("mtls.server.cipher-suites[%d]".formatted(i), configured.get(i),
						"not a TLS 1.2 cipher suite: TLS 1.3's suites are always enabled with TLSv1.3, and this list "
								+ "holds the TLS 1.2 suites only",
						"Use TLS 1.2 suite names, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, in mtls.server.cipher-suites.");
			}
			if (!supportedSuites.contains(configured.get(i))) {
				throw new MtlsConfigurationException("mtls.server.cipher-suites[%d]".formatted(i), configured.get(i),
						"this JVM does not support the cipher suite",
						"Use IANA cipher suite names, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, in mtls.server.cipher-suites.");
			}
			if (!isAead(configured.get(i))) {
				logger.warn("mtls.server.cipher-suites[%d]=%s is not an AEAD suite: prefer AES-GCM or ChaCha20-Poly1305"
					.formatted(i, configured.get(i)));
			}
			if (protocols.contains("TLSv1.2")) {
				suites.add(configured.get(i));
			}
		}
		if (protocols.contains("TLSv1.2") && configured.isEmpty()) {
			throw new MtlsConfigurationException("mtls.server.cipher-suites", "",
					"TLSv1.2 is enabled but no TLS 1.2 cipher suite is",
					"Leave mtls.server.cipher-suites at its default, or remove TLSv1.2 from mtls.server.protocols.");
		}
		return SslOptions.of(new ArrayList<>(suites).toArray(String[]::new), protocols.toArray(String[]::new));
	}

	private static boolean isAead(String suite) {
		return suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_") || suite.contains("_CCM");
	}

	private static SSLParameters supportedParameters() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			// Empty managers, not null: null makes the JDK load its default key and trust
			// stores (cacerts), a tenth of a second at start-up for nothing.
			context.init(new KeyManager[0], new TrustManager[0], null);
			return context.getSupportedSSLParameters();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The JVM's TLS implementation is unavailable", ex);
		}
	}

}
