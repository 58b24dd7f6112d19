package dev.mtls.boot.tls;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.conscrypt.Conscrypt;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.ClassUtils;

/**
 * Makes the server connector's {@link SSLContext} with the TLS implementation named by
 * {@code mtls.server.engine}, always from the starter's own key and trust managers, so
 * that identity, trust, policy, revocation and reloading are the same whatever the
 * engine.
 *
 * @since 0.1.0
 */
public final class ServerTlsEngine {

	/**
	 * The property that names the server's TLS engine.
	 */
	public static final String PROPERTY = "mtls.server.engine";

	static final String CONSCRYPT_DEPENDENCY = "org.conscrypt:conscrypt-openjdk-uber";

	private static final String CONSCRYPT_CLASS = "org.conscrypt.Conscrypt";

	private final MtlsTlsMaterial material;

	private final @Nullable Provider provider;

	private final @Nullable SslManagerBundle providerManagers;

	private ServerTlsEngine(MtlsTlsMaterial material, @Nullable Provider provider) {
		this.material = material;
		this.provider = provider;
		this.providerManagers = (provider != null) ? providerManagers(material.managers(true), provider) : null;
	}

	/**
	 * Return the JDK's own TLS engine, refusing client-initiated renegotiation (see
	 * {@link ClientRenegotiation}).
	 * @param material the TLS material
	 * @return the engine
	 */
	public static ServerTlsEngine jdk(MtlsTlsMaterial material) {
		ClientRenegotiation.refuse();
		return new ServerTlsEngine(material, null);
	}

	/**
	 * Return BoringSSL through Conscrypt, failing at once when it cannot be used here.
	 * @param material the TLS material
	 * @param classLoader the application's class loader, to look for Conscrypt's classes
	 * @return the engine
	 * @throws MtlsConfigurationException if Conscrypt is not available
	 */
	public static ServerTlsEngine conscrypt(MtlsTlsMaterial material, @Nullable ClassLoader classLoader) {
		return new ServerTlsEngine(material, conscrypt(classLoader));
	}

	/**
	 * Check that the engine implements every TLS 1.2 cipher suite of
	 * {@code mtls.server.cipher-suites}: they are checked against the JDK's when the
	 * bundle is made, and Conscrypt implements fewer (no DHE, no CBC with SHA-256), and
	 * throws for a suite it does not know on every connection, where Jetty leaves it out
	 * without a word.
	 * @param cipherSuites the configured suites
	 * @throws MtlsConfigurationException naming the first suite the engine lacks
	 */
	public void checkCipherSuites(List<String> cipherSuites) {
		Provider provider = this.provider;
		if (provider == null || cipherSuites.isEmpty()) {
			return;
		}
		Set<String> supported = supportedCipherSuites(provider);
		for (int i = 0; i < cipherSuites.size(); i++) {
			if (!supported.contains(cipherSuites.get(i))) {
				throw new MtlsConfigurationException("mtls.server.cipher-suites[%d]".formatted(i), cipherSuites.get(i),
						"the %s engine (%s) does not implement the cipher suite".formatted(provider.getName(),
								PROPERTY),
						"Leave the suite out of mtls.server.cipher-suites, or set %s to jdk.".formatted(PROPERTY));
			}
		}
	}

	private static Set<String> supportedCipherSuites(Provider provider) {
		try {
			SSLContext context = SSLContext.getInstance("TLS", provider);
			context.init(new KeyManager[0], new TrustManager[0], null);
			return Set.of(context.getSupportedSSLParameters().getCipherSuites());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The %s engine's TLS is unavailable".formatted(provider.getName()), ex);
		}
	}

	/**
	 * Return the name of the JSSE provider the engine uses.
	 * @return the provider's name, or {@code null} for the JDK's default
	 */
	public @Nullable String getProviderName() {
		return (this.provider != null) ? this.provider.getName() : null;
	}

	/**
	 * Create a server context on the current material.
	 * @return the context
	 */
	public SSLContext createSslContext() {
		SslManagerBundle managers = this.providerManagers;
		return (managers != null) ? this.material.createSslContext(this.provider, managers)
				: this.material.createSslContext(this.provider);
	}

	/**
	 * Return the material's managers, with the identity's private key served as a key of
	 * the provider, made once per identity rather than by the engine on every handshake.
	 * @param managers the material's managers
	 * @param provider the engine's provider
	 * @return the managers for the engine
	 */
	private static SslManagerBundle providerManagers(SslManagerBundle managers, Provider provider) {
		X509ExtendedKeyManager keyManager = (X509ExtendedKeyManager) managers.getKeyManagers()[0];
		return SslManagerBundle.of(FixedManagerFactories.forKeyManager(new ProviderKeyManager(keyManager, provider)),
				managers.getTrustManagerFactory());
	}

	/**
	 * Return the key and trust managers every context uses.
	 * @return the managers
	 */
	public SslManagerBundle getManagers() {
		return this.material.bundle(SslOptions.NONE).getManagers();
	}

	/**
	 * Return whether the service's identity comes from a workload identity provider, such
	 * as the SPIFFE Workload API, whose certificates name no host: servers that check the
	 * requested host against their own certificate must not.
	 * @return whether the identity names no host
	 */
	public boolean isWorkloadIdentity() {
		return this.material.getSource().workload() != null;
	}

	/**
	 * Return whether the client certificate check of a handshake may wait on the network:
	 * with online revocation ({@code mtls.revocation.ocsp} or
	 * {@code mtls.revocation.distribution-points}), for a client whose status is not
	 * cached yet.
	 * @return whether a handshake may wait for an OCSP responder or a CRL distribution
	 * point
	 */
	public boolean checksRevocationOnline() {
		return this.material.getSource().revocation().enabled();
	}

	/**
	 * Return where the server counts and logs the client-initiated renegotiations its
	 * engine refused.
	 * @return the refused renegotiations
	 */
	public RefusedRenegotiations getRefusedRenegotiations() {
		return this.material.refusedRenegotiations();
	}

	private static Provider conscrypt(@Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(CONSCRYPT_CLASS, classLoader)) {
			throw new MtlsConfigurationException(PROPERTY, "conscrypt", "Conscrypt is not on the class path",
					"Add the dependency " + CONSCRYPT_DEPENDENCY
							+ " (2.5.2 or later) to the application, or set mtls.server.engine to jdk.");
		}
		return ConscryptProvider.create();
	}

	/**
	 * Kept apart so that Conscrypt's classes load only once known to be present.
	 */
	private static final class ConscryptProvider {

		static Provider create() {
			try {
				Conscrypt.checkAvailability();
			}
			catch (Throwable ex) {
				throw new MtlsConfigurationException(PROPERTY, "conscrypt",
						"Conscrypt's native library does not load on this platform (" + System.getProperty("os.name")
								+ ", " + System.getProperty("os.arch") + "): " + ex,
						"Use " + CONSCRYPT_DEPENDENCY + " built for this platform, or set mtls.server.engine to jdk.",
						ex);
			}
			// A provider of its own, never installed JVM-wide: only this connector uses
			// it.
			return Conscrypt.newProviderBuilder().setName("Conscrypt-mtls").provideTrustManager(false).build();
		}

	}

}
