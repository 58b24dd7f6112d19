package dev.mtls.boot.tls;

import dev.mtls.boot.autoconfigure.DevMode;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.dev.DevCertificates;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.trust.CertificateValidator;
import dev.mtls.boot.trust.ValidatingTrustManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The service's TLS material, current and reloadable: its identity, the trust and CRLs
 * that validate peers, and the key and trust managers every {@code SSLContext} of the
 * {@value MtlsProperties#DEFAULT_BUNDLE_NAME} bundle uses. The managers ask for the
 * current material on each handshake, so a reload reaches new connections, inbound and
 * outbound, without touching established ones. A reload that fails keeps the last good
 * material.
 *
 * @since 0.1.0
 */
public class MtlsTlsMaterial {

	private static final Log logger = LogFactory.getLog(MtlsTlsMaterial.class);

	private final MtlsProperties properties;

	private final ResourceLoader resourceLoader;

	private final ObjectProvider<SslBundles> sslBundles;

	private final MtlsProperties.Identity identity;

	private final MtlsProperties.Trust trust;

	private final AtomicReference<@Nullable Loaded> current = new AtomicReference<>();

	private final AtomicLong reloads = new AtomicLong();

	private final AtomicLong reloadFailures = new AtomicLong();

	private volatile @Nullable String lastReloadFailure;

	private final SslManagerBundle managers;

	private final ReloadableKeyManager keyManager;

	private final Set<SSLContext> contexts = Collections.newSetFromMap(new WeakHashMap<>());

	private final MtlsListener listener;

	public MtlsTlsMaterial(MtlsProperties properties, ResourceLoader resourceLoader, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		this(properties, resourceLoader, environment, sslBundles, MtlsListener.NONE);
	}

	public MtlsTlsMaterial(MtlsProperties properties, ResourceLoader resourceLoader, Environment environment,
			ObjectProvider<SslBundles> sslBundles, MtlsListener listener) {
		this.properties = properties;
		this.listener = listener;
		this.resourceLoader = resourceLoader;
		this.sslBundles = sslBundles;
		checkBundleProperties();
		properties.getRevocation().toOnlineRevocation().applySystemProperties();
		MtlsProperties.Identity identity = properties.getIdentity();
		MtlsProperties.Trust trust = properties.getTrust();
		if (properties.getBundle() == null && properties.getDev().isEnabled()) {
			if (!DevMode.isActive(properties)) {
				logger.warn("mtls.dev.enabled=true is ignored: mtls.identity and mtls.trust are configured");
			}
			else {
				DevCertificates dev = prepareDevCertificates(environment);
				identity = new MtlsProperties.Identity();
				identity.setCertificate(location(dev.serverCertificate()));
				identity.setPrivateKey(location(dev.serverPrivateKey()));
				trust = new MtlsProperties.Trust();
				trust.setCertificates(List.of(location(dev.caCertificate())));
			}
		}
		else if (properties.getBundle() == null && !identity.isConfigured()) {
			throw new MtlsConfigurationException("mtls.identity.certificate", null,
					"mTLS is enabled but no identity is configured: none of mtls.identity.certificate, "
							+ "mtls.identity.keystore.location or mtls.bundle is set, and dev mode is off",
					"Set mtls.identity.certificate and mtls.identity.private-key (or mtls.identity.keystore.location, "
							+ "or mtls.bundle) to this service's certificate and key; or set mtls.dev.enabled=true to "
							+ "mint local development certificates; or set mtls.enabled=false to turn mTLS off.");
		}
		this.identity = identity;
		this.trust = trust;
		ReloadableKeyManager keyManager = new ReloadableKeyManager();
		this.keyManager = keyManager;
		ValidatingTrustManager trustManager = new ValidatingTrustManager(() -> current().validator(), listener);
		this.managers = SslManagerBundle.of(FixedManagerFactories.forKeyManager(keyManager),
				FixedManagerFactories.forTrustManager(trustManager));
		if (properties.getBundle() == null) {
			Loaded loaded = load();
			logger.info("mTLS identity '%s' (expires %s)".formatted(loaded.subject(), loaded.notAfter()));
			use(loaded);
		}
	}

	private void checkBundleProperties() {
		String bundle = this.properties.getBundle();
		if (bundle == null) {
			return;
		}
		if (bundle.equals(MtlsProperties.DEFAULT_BUNDLE_NAME)) {
			throw new MtlsConfigurationException("mtls.bundle", bundle,
					"'mtls' is the name of the bundle the starter registers",
					"Give the spring.ssl.bundle another name, such as 'service', and set mtls.bundle to it.");
		}
		MtlsProperties.Identity identity = this.properties.getIdentity();
		MtlsProperties.Trust trust = this.properties.getTrust();
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put("mtls.bundle", bundle);
			entries.put("mtls.identity.certificate", identity.getCertificate());
			entries.put("mtls.identity.private-key", identity.getPrivateKey());
			entries.put("mtls.identity.keystore.location", identity.getKeystore().getLocation());
			entries.put("mtls.trust.certificates", trust.getCertificates().isEmpty() ? null : trust.getCertificates());
			entries.put("mtls.trust.truststore.location", trust.getTruststore().getLocation());
		});
	}

	private DevCertificates prepareDevCertificates(Environment environment) {
		Path directory = DevMode.directory(this.properties.getDev(), environment);
		DevCertificates dev = DevCertificates.prepare(directory, this.properties.getDev().getClients());
		logger.warn("mTLS dev mode: using development certificates from %s (minted now: %s). Never use dev mode in production."
			.formatted(directory, dev.getMinted().isEmpty() ? "none, reused" : String.join(", ", dev.getMinted())));
		return dev;
	}

	private static String location(Path path) {
		return "file:" + path.toAbsolutePath();
	}

	private Loaded current() {
		Loaded loaded = this.current.get();
		if (loaded != null) {
			return loaded;
		}
		// mtls.bundle: the named bundle exists only once the registry does, so load on first use.
		synchronized (this) {
			loaded = this.current.get();
			if (loaded == null) {
				loaded = load();
				use(loaded);
				String name = this.properties.getBundle();
				this.sslBundles.getObject().addBundleUpdateHandler(name, (updated) -> reload());
			}
			return loaded;
		}
	}

	private void use(Loaded loaded) {
		this.keyManager.update(loaded.keyManager());
		this.current.set(loaded);
	}

	private Loaded load() {
		TlsMaterialLoader loader = new TlsMaterialLoader(this.resourceLoader);
		List<X509CRL> crls = loader.loadCrls(this.properties.getRevocation().getCrls());
		String bundleName = this.properties.getBundle();
		SslStoreBundle stores;
		SslBundleKey key;
		List<X509Certificate> chain;
		X509ExtendedKeyManager keyManager;
		if (bundleName != null) {
			SslBundle bundle = namedBundle(bundleName);
			stores = bundle.getStores();
			key = bundle.getKey();
			keyManager = keyManager(bundle.getManagers().getKeyManagers());
			chain = chain(stores.getKeyStore(), key);
			if (stores.getTrustStore() == null) {
				throw new MtlsConfigurationException("mtls.bundle", bundleName, "the bundle has no trust store",
						"Give the spring.ssl.bundle a truststore, or configure mtls.identity and mtls.trust instead.");
			}
		}
		else {
			TlsMaterialLoader.Identity loadedIdentity = loader.loadIdentity(this.identity);
			KeyStore trustStore = loader.loadTrust(this.trust);
			stores = SslStoreBundle.of(loadedIdentity.keyStore(), loadedIdentity.keyStorePassword(), trustStore);
			key = loadedIdentity.key();
			chain = loadedIdentity.chain();
			keyManager = keyManager(SslManagerBundle.from(stores, key).getKeyManagers());
		}
		CertificateValidator validator = CertificateValidator.of(stores.getTrustStore(), crls,
				this.properties.getPolicy().toCertificatePolicy(), Clock.systemUTC(),
				this.properties.getRevocation().toOnlineRevocation());
		return new Loaded(stores, key, chain, validator, keyManager);
	}

	private SslBundle namedBundle(String name) {
		try {
			return this.sslBundles.getObject().getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new MtlsConfigurationException("mtls.bundle", name, "no SSL bundle with this name is configured",
					"Set mtls.bundle to the name of a bundle under spring.ssl.bundle.pem or spring.ssl.bundle.jks, "
							+ "or configure mtls.identity and mtls.trust instead.",
					ex);
		}
	}

	private static X509ExtendedKeyManager keyManager(KeyManager[] keyManagers) {
		return Arrays.stream(keyManagers)
			.filter(X509ExtendedKeyManager.class::isInstance)
			.map(X509ExtendedKeyManager.class::cast)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No X.509 key manager in the bundle"));
	}

	private static List<X509Certificate> chain(@Nullable KeyStore keyStore, SslBundleKey key) {
		try {
			if (keyStore == null) {
				return List.of();
			}
			String alias = key.getAlias();
			if (alias == null) {
				alias = Collections.list(keyStore.aliases()).stream().filter((candidate) -> {
					try {
						return keyStore.isKeyEntry(candidate);
					}
					catch (Exception ex) {
						return false;
					}
				}).findFirst().orElse(null);
			}
			Certificate[] chain = (alias != null) ? keyStore.getCertificateChain(alias) : null;
			return (chain != null) ? Arrays.stream(chain).map(X509Certificate.class::cast).toList() : List.of();
		}
		catch (Exception ex) {
			return List.of();
		}
	}

	/**
	 * Validate a client's chain with the current trust, policy and revocation.
	 * @param chain the client's chain, leaf first
	 * @throws java.security.cert.CertificateException if it is refused
	 */
	public void verifyClient(X509Certificate[] chain) throws java.security.cert.CertificateException {
		current().validator().validateClient(List.of(chain));
	}

	/**
	 * Load the material again and use it for new connections; if it does not load, keep the
	 * current material and count the failure.
	 * @return whether the new material is in use
	 */
	public synchronized boolean reload() {
		try {
			Loaded loaded = load();
			use(loaded);
			invalidateSessions();
			this.reloads.incrementAndGet();
			this.lastReloadFailure = null;
			this.listener.reloaded(true);
			logger.info("mTLS material reloaded: identity '%s' (serial %s, expires %s), %d trusted CAs"
				.formatted(loaded.subject(), loaded.serial(), loaded.notAfter(), loaded.validator().getTrusted().size()));
			return true;
		}
		catch (RuntimeException ex) {
			this.reloadFailures.incrementAndGet();
			this.lastReloadFailure = ex.getMessage();
			this.listener.reloaded(false);
			logger.warn("mTLS material not reloaded, the previous material stays in use: " + ex.getMessage());
			return false;
		}
	}

	/**
	 * Keep TLS sessions no longer than verdicts are cached, and remember the context so that
	 * a reload can end its sessions: a resumed session skips certificate validation.
	 */
	private SSLContext track(SSLContext context) {
		int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
				this.properties.getRevocation().getCacheTtl().toSeconds()));
		context.getServerSessionContext().setSessionTimeout(seconds);
		context.getClientSessionContext().setSessionTimeout(seconds);
		synchronized (this.contexts) {
			this.contexts.add(context);
		}
		return context;
	}

	private void invalidateSessions() {
		List<SSLContext> contexts;
		synchronized (this.contexts) {
			contexts = new ArrayList<>(this.contexts);
		}
		for (SSLContext context : contexts) {
			for (SSLSessionContext sessions : List.of(context.getServerSessionContext(), context.getClientSessionContext())) {
				for (byte[] id : Collections.list(sessions.getIds())) {
					SSLSession session = sessions.getSession(id);
					if (session != null) {
						session.invalidate();
					}
				}
			}
		}
	}

	/**
	 * Create an {@link SSLContext} that always uses the current material, as the bundle's
	 * contexts do.
	 * @param provider the JSSE provider, for instance Conscrypt's, or {@code null} for the
	 * JDK's default
	 * @return the initialized context
	 */
	public SSLContext createSslContext(@Nullable Provider provider) {
		try {
			SSLContext context = (provider != null) ? SSLContext.getInstance("TLS", provider)
					: SSLContext.getInstance("TLS");
			context.init(this.managers.getKeyManagers(), this.managers.getTrustManagers(), null);
			return track(context);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to create a TLS context"
					+ ((provider != null) ? " with provider " + provider.getName() : ""), ex);
		}
	}

	/**
	 * Return an SSL bundle whose contexts always use the current material.
	 * @param options the protocols and cipher suites
	 * @return the bundle
	 */
	public SslBundle bundle(SslOptions options) {
		return new SslBundle() {

			@Override
			public SslStoreBundle getStores() {
				return current().stores();
			}

			@Override
			public SslBundleKey getKey() {
				return current().key();
			}

			@Override
			public SslOptions getOptions() {
				return options;
			}

			@Override
			public String getProtocol() {
				return "TLS";
			}

			@Override
			public SslManagerBundle getManagers() {
				return MtlsTlsMaterial.this.managers;
			}

			@Override
			public SSLContext createSslContext() {
				return MtlsTlsMaterial.this.createSslContext(null);
			}

			@Override
			public String toString() {
				return "mTLS bundle " + current().subject();
			}

		};
	}

	/**
	 * Return the files the material is read from, to watch for changes: identity, trust
	 * (files and directories) and CRLs given as {@code file:} locations.
	 * @return the paths
	 */
	public List<Path> getWatchedPaths() {
		List<String> locations = new ArrayList<>();
		locations.add(this.identity.getCertificate());
		locations.add(this.identity.getPrivateKey());
		locations.add(this.identity.getKeystore().getLocation());
		locations.addAll(this.trust.getCertificates());
		locations.add(this.trust.getTruststore().getLocation());
		locations.addAll(this.properties.getRevocation().getCrls());
		List<Path> paths = new ArrayList<>();
		for (String location : locations) {
			if (location == null || location.contains("-----BEGIN")) {
				continue;
			}
			Resource resource = this.resourceLoader.getResource(location);
			try {
				if (resource.isFile()) {
					paths.add(resource.getFile().toPath().toAbsolutePath());
				}
			}
			catch (IOException ex) {
				// Not a file: nothing to watch.
			}
		}
		return paths;
	}

	/**
	 * Return the identity's certificate chain, leaf first.
	 * @return the chain (loaded first, for {@code mtls.bundle}, if not used yet)
	 */
	public List<X509Certificate> getIdentityChain() {
		return current().chain();
	}

	/**
	 * Return the trusted CA certificates currently in use.
	 * @return the trust anchors
	 */
	public List<X509Certificate> getTrustAnchors() {
		return current().validator().getTrusted();
	}

	public long getReloadCount() {
		return this.reloads.get();
	}

	public long getReloadFailureCount() {
		return this.reloadFailures.get();
	}

	public @Nullable String getLastReloadFailure() {
		return this.lastReloadFailure;
	}

	private record Loaded(SslStoreBundle stores, SslBundleKey key, List<X509Certificate> chain,
			CertificateValidator validator, X509ExtendedKeyManager keyManager) {

		String subject() {
			return this.chain.isEmpty() ? "?" : CertificateText.escape(this.chain.get(0).getSubjectX500Principal().getName());
		}

		String serial() {
			return this.chain.isEmpty() ? "?" : this.chain.get(0).getSerialNumber().toString(16);
		}

		@Nullable Instant notAfter() {
			return this.chain.isEmpty() ? null : this.chain.get(0).getNotAfter().toInstant();
		}

	}

}
