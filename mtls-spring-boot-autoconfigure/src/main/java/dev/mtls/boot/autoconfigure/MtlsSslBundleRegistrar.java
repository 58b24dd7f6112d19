package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.mtls.boot.dev.DevCertificates;
import dev.mtls.boot.trust.CertificateValidator;
import dev.mtls.boot.trust.ValidatingTrustManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Registers the {@value MtlsProperties#DEFAULT_BUNDLE_NAME} SSL bundle, from
 * {@code mtls.identity} and {@code mtls.trust}, from dev mode, or as a view of the bundle
 * named by {@code mtls.bundle} with the protocols and cipher suites of
 * {@code mtls.server}.
 *
 * @since 0.1.0
 */
public class MtlsSslBundleRegistrar implements SslBundleRegistrar {

	private static final Log logger = LogFactory.getLog(MtlsSslBundleRegistrar.class);

	private final MtlsProperties properties;

	private final ResourceLoader resourceLoader;

	private final Environment environment;

	private final ObjectProvider<SslBundles> sslBundles;

	public MtlsSslBundleRegistrar(MtlsProperties properties, ResourceLoader resourceLoader, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		this.properties = properties;
		this.resourceLoader = resourceLoader;
		this.environment = environment;
		this.sslBundles = sslBundles;
	}

	@Override
	public void registerBundles(SslBundleRegistry registry) {
		checkExclusive();
		SslOptions options = options(this.properties.getServer());
		String bundle = this.properties.getBundle();
		if (bundle != null) {
			if (bundle.equals(MtlsProperties.DEFAULT_BUNDLE_NAME)) {
				throw new MtlsConfigurationException("mtls.bundle", bundle,
						"'mtls' is the name of the bundle the starter registers",
						"Give the spring.ssl.bundle another name, such as 'service', and set mtls.bundle to it.");
			}
			registry.registerBundle(MtlsProperties.DEFAULT_BUNDLE_NAME, new NamedSslBundleView(bundle, this.sslBundles, options));
			return;
		}
		registry.registerBundle(MtlsProperties.DEFAULT_BUNDLE_NAME, loadBundle(options));
	}

	private SslBundle loadBundle(SslOptions options) {
		MtlsProperties.Identity identityProperties = this.properties.getIdentity();
		MtlsProperties.Trust trustProperties = this.properties.getTrust();
		if (this.properties.getDev().isEnabled()) {
			if (!DevMode.isActive(this.properties)) {
				logger.warn("mtls.dev.enabled=true is ignored: mtls.identity and mtls.trust are configured");
			}
			else {
				DevCertificates dev = prepareDevCertificates();
				identityProperties = new MtlsProperties.Identity();
				identityProperties.setCertificate(location(dev.serverCertificate()));
				identityProperties.setPrivateKey(location(dev.serverPrivateKey()));
				trustProperties = new MtlsProperties.Trust();
				trustProperties.setCertificates(List.of(location(dev.caCertificate())));
			}
		}
		else if (!identityProperties.isConfigured()) {
			throw new MtlsConfigurationException("mtls.identity.certificate", null,
					"mTLS is enabled but no identity is configured: none of mtls.identity.certificate, "
							+ "mtls.identity.keystore.location or mtls.bundle is set, and dev mode is off",
					"Set mtls.identity.certificate and mtls.identity.private-key (or mtls.identity.keystore.location, "
							+ "or mtls.bundle) to this service's certificate and key; or set mtls.dev.enabled=true to "
							+ "mint local development certificates; or set mtls.enabled=false to turn mTLS off.");
		}
		TlsMaterialLoader loader = new TlsMaterialLoader(this.resourceLoader);
		TlsMaterialLoader.Identity identity = loader.loadIdentity(identityProperties);
		KeyStore trust = loader.loadTrust(trustProperties);
		logger.info("mTLS identity '%s' (expires %s)".formatted(
				identity.chain().get(0).getSubjectX500Principal().getName(),
				identity.chain().get(0).getNotAfter().toInstant()));
		List<X509CRL> crls = loader.loadCrls(this.properties.getRevocation().getCrls());
		CertificateValidator validator = CertificateValidator.of(trust, crls,
				this.properties.getPolicy().toCertificatePolicy(), Clock.systemUTC());
		SslStoreBundle stores = SslStoreBundle.of(identity.keyStore(), identity.keyStorePassword(), trust);
		// The starter's trust manager replaces the JDK's, so that policy and CRLs apply to every handshake.
		SslManagerBundle managers = SslManagerBundle.of(
				SslManagerBundle.from(stores, identity.key()).getKeyManagerFactory(),
				SslManagerBundle.from(new ValidatingTrustManager(() -> validator)).getTrustManagerFactory());
		return SslBundle.of(stores, identity.key(), options, "TLS", managers);
	}

	private DevCertificates prepareDevCertificates() {
		Path directory = DevMode.directory(this.properties.getDev(), this.environment);
		DevCertificates dev = DevCertificates.prepare(directory, this.properties.getDev().getClients());
		logger.warn("mTLS dev mode: using development certificates from %s (minted now: %s). Never use dev mode in production."
			.formatted(directory, dev.getMinted().isEmpty() ? "none, reused" : String.join(", ", dev.getMinted())));
		return dev;
	}

	private static String location(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	private void checkExclusive() {
		if (this.properties.getBundle() == null) {
			return;
		}
		MtlsProperties.Identity identity = this.properties.getIdentity();
		MtlsProperties.Trust trust = this.properties.getTrust();
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put("mtls.bundle", this.properties.getBundle());
			entries.put("mtls.identity.certificate", identity.getCertificate());
			entries.put("mtls.identity.private-key", identity.getPrivateKey());
			entries.put("mtls.identity.keystore.location", identity.getKeystore().getLocation());
			entries.put("mtls.trust.certificates", trust.getCertificates().isEmpty() ? null : trust.getCertificates());
			entries.put("mtls.trust.truststore.location", trust.getTruststore().getLocation());
		});
	}

	static SslOptions options(MtlsProperties.Server server) {
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
			context.init(null, null, null);
			return context.getSupportedSSLParameters();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The JVM's TLS implementation is unavailable", ex);
		}
	}

}
