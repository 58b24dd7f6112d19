package dev.mtls.boot.tls;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.MissingIdentityAttributeException;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;
import dev.mtls.boot.trust.CertificateValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Loads one generation of TLS material from a {@link TlsMaterialSource}: identity and
 * trust through Spring Boot's PEM and JKS/PKCS12 support (or a named SSL bundle), CRLs,
 * and the validator and key manager built on them. Every problem becomes an
 * {@link MtlsConfigurationException} naming the property.
 */
class TlsMaterialLoader {

	static final String IDENTITY = "mtls.identity";

	static final String TRUST = "mtls.trust";

	static final String FORWARDED_TRUST = "mtls.forwarded.trust";

	static final String WORKLOAD = "mtls.spiffe.enabled";

	/**
	 * Type of the in-memory key store that holds a PEM identity for the key manager.
	 * PKCS12, the JDK's default type, encrypts the key with 10,000 rounds of PBKDF2 on
	 * the way in and again on the way out to the key manager: about 0.15 s of start-up
	 * and of every reload on a cold JVM, to protect a key that is in memory anyway. JKS
	 * stores it with a cheap obfuscation. The store is never written anywhere.
	 */
	private static final @Nullable String IN_MEMORY_KEY_STORE_TYPE = (Security.getProviders("KeyStore.JKS") != null)
			? "JKS" : null;

	private final ResourceLoader resourceLoader;

	private final PemMaterialReader pem;

	private final KeyStoreLoader keyStores;

	private final Supplier<SslBundles> sslBundles;

	TlsMaterialLoader(ResourceLoader resourceLoader, Supplier<SslBundles> sslBundles) {
		this.resourceLoader = resourceLoader;
		this.pem = new PemMaterialReader(resourceLoader);
		this.keyStores = new KeyStoreLoader(resourceLoader);
		this.sslBundles = sslBundles;
	}

	/**
	 * Load a generation of material.
	 * @param source where the material comes from
	 * @return the material
	 */
	LoadedMaterial load(TlsMaterialSource source) {
		List<X509CRL> crls = loadCrls(source.crls());
		SslStoreBundle stores;
		KeyStore trustStore;
		SslBundleKey key;
		List<X509Certificate> chain;
		X509ExtendedKeyManager keyManager;
		String bundleName = source.bundle();
		IdentitySource identitySource = source.identity();
		TrustSource trustSource = source.trust();
		Supplier<WorkloadMaterial> workload = source.workload();
		// Asked once: the provider may rotate its material at any time.
		WorkloadMaterial workloadMaterial = (workload != null) ? workload.get() : null;
		if (bundleName != null) {
			SslBundle bundle = namedBundle(bundleName);
			stores = bundle.getStores();
			key = bundle.getKey();
			keyManager = keyManager(bundle.getManagers().getKeyManagers());
			chain = chain(stores.getKeyStore(), key);
			trustStore = stores.getTrustStore();
			if (trustStore == null) {
				throw new MtlsConfigurationException("mtls.bundle", bundleName, "the bundle has no trust store",
						"Give the spring.ssl.bundle a truststore, or configure mtls.identity and mtls.trust instead.");
			}
		}
		else if (identitySource != null && trustSource != null) {
			LoadedIdentity identity = loadIdentity(identitySource);
			trustStore = loadTrust(trustSource);
			stores = SslStoreBundle.of(identity.keyStore(), identity.keyStorePassword(), trustStore);
			key = identity.key();
			chain = identity.chain();
			keyManager = keyManager(SslManagerBundle.from(stores, key).getKeyManagers());
		}
		else if (workload != null && workloadMaterial != null) {
			LoadedIdentity identity = workloadIdentity(workloadMaterial, workload.toString());
			trustStore = workloadTrust(workloadMaterial);
			stores = SslStoreBundle.of(identity.keyStore(), identity.keyStorePassword(), trustStore);
			key = identity.key();
			chain = identity.chain();
			keyManager = keyManager(SslManagerBundle.from(stores, key).getKeyManagers());
		}
		else {
			throw new IllegalStateException("No identity and trust in " + source);
		}
		String localTrustDomain = (workloadMaterial != null) ? localTrustDomain(chain.get(0), workload) : null;
		CertificateValidator validator = (workloadMaterial != null)
				? CertificateValidator.ofTrustDomains(workloadMaterial.trustDomains(), localTrustDomain, crls,
						source.policy(), Clock.systemUTC(), source.revocation(), source.expectedServers())
				: CertificateValidator.of(trustStore, crls, source.policy(), Clock.systemUTC(), source.revocation());
		TrustSource forwardedTrust = source.forwardedTrust();
		CertificateValidator forwardedValidator = (forwardedTrust != null)
				? CertificateValidator.of(loadTrust(forwardedTrust, FORWARDED_TRUST), crls, source.policy(),
						Clock.systemUTC(), source.revocation())
				: validator;
		return new LoadedMaterial(stores, key, chain, validator, forwardedValidator, keyManager);
	}

	LoadedIdentity loadIdentity(IdentitySource source) {
		boolean keyStore = source.isKeyStore();
		LoadedIdentity identity = keyStore ? loadKeyStoreIdentity(source) : loadPemIdentity(source);
		IdentityChecks.checkValidity(identity.chain().get(0),
				keyStore ? IDENTITY + ".keystore.location" : IDENTITY + ".certificate");
		return identity;
	}

	private LoadedIdentity loadPemIdentity(IdentitySource source) {
		String certificateValue = required(IDENTITY + ".certificate", source.certificate(),
				"the PEM certificate chain (leaf first) of this service");
		String keyValue = required(IDENTITY + ".private-key", source.privateKey(),
				"the PEM private key matching " + IDENTITY + ".certificate");
		List<X509Certificate> chain = this.pem.readCertificates(IDENTITY + ".certificate", certificateValue);
		PrivateKey key = this.pem.readPrivateKey(IDENTITY + ".private-key", keyValue, source.privateKeyPassword());
		IdentityChecks.checkKeyMatches(key, chain.get(0), IDENTITY + ".private-key",
				MtlsConfigurationException.displayValue(keyValue),
				"Point " + IDENTITY + ".private-key at the key of the certificate in " + IDENTITY
						+ ".certificate, or fix the certificate.");
		return new LoadedIdentity(inMemoryKeyStore(chain, key), null, SslBundleKey.of("", "mtls"), chain);
	}

	private LoadedIdentity workloadIdentity(WorkloadMaterial material, String provider) {
		List<X509Certificate> chain = material.chain();
		IdentityChecks.checkKeyMatches(material.privateKey(), chain.get(0), WORKLOAD, provider,
				"Fix the workload identity provider: the key it hands over must match its certificate.");
		IdentityChecks.checkValidity(chain.get(0), WORKLOAD);
		return new LoadedIdentity(inMemoryKeyStore(chain, material.privateKey()), null, SslBundleKey.of("", "mtls"),
				chain);
	}

	// Peers of other trust domains are federated: their CAs vouch only for their SPIFFE
	// IDs.
	private static String localTrustDomain(X509Certificate leaf, @Nullable Supplier<WorkloadMaterial> provider) {
		try {
			return Objects
				.requireNonNull(CertificateIdentity.of(List.of(leaf), PrincipalName.SPIFFE_ID).getTrustDomain());
		}
		catch (MissingIdentityAttributeException ex) {
			throw new MtlsConfigurationException(WORKLOAD, "true",
					"the workload certificate from " + provider + " names no trust domain: " + ex.getMessage(),
					"Fix the workload identity provider: its certificate must be an X.509 SVID with one SPIFFE ID.",
					ex);
		}
	}

	private static KeyStore workloadTrust(WorkloadMaterial material) {
		List<X509Certificate> certificates = material.trustDomains().values().stream().flatMap(List::stream).toList();
		KeyStore store = new PemSslStoreBundle(null, PemSslStore.of(certificates, null)).getTrustStore();
		Assert.state(store != null, "No trust store from the workload's bundles");
		return store;
	}

	private static KeyStore inMemoryKeyStore(List<X509Certificate> chain, PrivateKey key) {
		// JKS takes no null password; an empty one protects as much as none.
		KeyStore keyStore = new PemSslStoreBundle(PemSslStore.of(IN_MEMORY_KEY_STORE_TYPE, "mtls", "", chain, key),
				null)
			.getKeyStore();
		Assert.state(keyStore != null, "No key store from the identity");
		return keyStore;
	}

	private LoadedIdentity loadKeyStoreIdentity(IdentitySource source) {
		String location = required(IDENTITY + ".keystore.location", source.keyStoreLocation(), "a key store");
		String password = source.keyStorePassword();
		KeyStore store = this.keyStores.load(IDENTITY + ".keystore", location, source.keyStoreType(), password);
		String alias = KeyStoreLoader.keyAlias(store, source.keyStoreAlias(), location);
		try {
			Key key = store.getKey(alias, (password != null) ? password.toCharArray() : new char[0]);
			Certificate[] chain = store.getCertificateChain(alias);
			List<X509Certificate> certificates = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
			IdentityChecks.checkKeyMatches((PrivateKey) key, certificates.get(0), IDENTITY + ".keystore.location",
					location, "Store the key entry with its own certificate chain.");
			return new LoadedIdentity(store, password, SslBundleKey.of(password, alias), certificates);
		}
		catch (GeneralSecurityException ex) {
			throw new MtlsConfigurationException(IDENTITY + ".keystore.password", null,
					"the key entry '%s' in '%s' cannot be read: %s".formatted(alias, location, rootMessage(ex)),
					"Set " + IDENTITY + ".keystore.password to the password of both the store and its key entry.", ex);
		}
	}

	KeyStore loadTrust(TrustSource source) {
		return loadTrust(source, TRUST);
	}

	/**
	 * Load trusted certificates, naming the properties under a prefix in failures.
	 * @param source the trust
	 * @param prefix its properties' prefix, such as {@code mtls.trust}
	 * @return the trust store
	 */
	KeyStore loadTrust(TrustSource source, String prefix) {
		String location = source.trustStoreLocation();
		if (location != null) {
			KeyStore store = this.keyStores.load(prefix + ".truststore", location, source.trustStoreType(),
					source.trustStorePassword());
			try {
				if (store.size() == 0) {
					throw emptyTrust(prefix + ".truststore.location", location,
							"the trust store holds no certificates");
				}
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			return store;
		}
		List<X509Certificate> certificates = new ArrayList<>();
		List<String> values = source.certificates();
		for (int i = 0; i < values.size(); i++) {
			certificates
				.addAll(this.pem.readTrustedCertificates(prefix + ".certificates[%d]".formatted(i), values.get(i)));
		}
		if (certificates.isEmpty()) {
			throw emptyTrust(prefix + ".certificates", null, "no trusted CA certificate is configured");
		}
		KeyStore store = new PemSslStoreBundle(null, PemSslStore.of(certificates, null)).getTrustStore();
		Assert.state(store != null, "No trust store from the PEM certificates");
		return store;
	}

	List<X509CRL> loadCrls(List<String> locations) {
		List<X509CRL> crls = new ArrayList<>();
		for (int i = 0; i < locations.size(); i++) {
			String property = "mtls.revocation.crls[%d]".formatted(i);
			String location = locations.get(i);
			Resource resource = this.resourceLoader.getResource(location);
			if (!resource.exists()) {
				throw MissingLocation.of(property, location, MtlsConfigurationException.displayValue(location),
						"Point " + property + " at a CRL file (PEM or DER).");
			}
			try (InputStream in = resource.getInputStream()) {
				List<X509CRL> read = CertificateValidator.readCrls(in);
				if (read.isEmpty()) {
					throw new IOException("no CRL in it");
				}
				crls.addAll(read);
			}
			catch (IOException ex) {
				throw new MtlsConfigurationException(property, MtlsConfigurationException.displayValue(location),
						"the file cannot be read as a CRL: " + rootMessage(ex),
						"Point " + property + " at a CRL file (PEM '-----BEGIN X509 CRL-----' or DER).", ex);
			}
		}
		return crls;
	}

	private SslBundle namedBundle(String name) {
		try {
			return this.sslBundles.get().getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new MtlsConfigurationException("mtls.bundle", name, "no SSL bundle with this name is configured",
					"Set mtls.bundle to the name of a bundle under spring.ssl.bundle.pem or spring.ssl.bundle.jks, "
							+ "or configure mtls.identity and mtls.trust instead.",
					ex);
		}
	}

	static MtlsConfigurationException emptyTrust(String property, @Nullable String value, String problem) {
		if (property.startsWith(FORWARDED_TRUST + ".")) {
			return new MtlsConfigurationException(property, value, problem, "Set " + FORWARDED_TRUST
					+ ".certificates to the PEM certificates of the CAs of the clients whose certificates the proxies forward, or "
					+ FORWARDED_TRUST + ".truststore.location to a trust store; or set neither, to validate "
					+ "forwarded certificates against mtls.trust.");
		}
		return new MtlsConfigurationException(property, value, problem,
				"Set mtls.trust.certificates to the PEM certificates (files or directories) of the CAs whose "
						+ "clients and servers this service trusts, or mtls.trust.truststore.location to a trust store.");
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

	private static String required(String property, @Nullable String value, String what) {
		if (value == null || value.isBlank()) {
			throw new MtlsConfigurationException(property, null, "it is not set",
					"Set " + property + " to " + what + ".");
		}
		return value;
	}

	static String rootMessage(Throwable ex) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	/**
	 * The service's identity as loaded: its key store, the key's coordinates in it, and
	 * its chain.
	 *
	 * @param keyStore the key store
	 * @param keyStorePassword the key store's password, or {@code null} for none
	 * @param key the key's alias and password in the key store
	 * @param chain the certificate chain, leaf first
	 */
	record LoadedIdentity(KeyStore keyStore, @Nullable String keyStorePassword, SslBundleKey key,
			List<X509Certificate> chain) {
	}

}
