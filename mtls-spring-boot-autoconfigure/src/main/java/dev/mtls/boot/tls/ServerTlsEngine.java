package dev.mtls.boot.tls;

import java.security.Provider;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.autoconfigure.MtlsProperties.Engine;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.ClassUtils;

/**
 * Makes the server connector's {@link SSLContext} with the TLS implementation named by
 * {@code mtls.server.engine}, always from the starter's own key and trust managers, so
 * that identity, trust, policy, revocation and reloading are the same whatever the engine.
 *
 * @since 0.1.0
 */
public final class ServerTlsEngine {

	public static final String PROPERTY = "mtls.server.engine";

	static final String CONSCRYPT_DEPENDENCY = "org.conscrypt:conscrypt-openjdk-uber";

	private static final String CONSCRYPT_CLASS = "org.conscrypt.Conscrypt";

	private final Engine engine;

	private final MtlsTlsMaterial material;

	private final @Nullable Provider provider;

	private ServerTlsEngine(Engine engine, MtlsTlsMaterial material, @Nullable Provider provider) {
		this.engine = engine;
		this.material = material;
		this.provider = provider;
	}

	/**
	 * Return the engine for a setting, failing at once when it cannot be used here.
	 * @param engine the {@code mtls.server.engine} setting
	 * @param material the TLS material
	 * @param classLoader the application's class loader, to look for the engine's classes
	 * @return the engine
	 * @throws MtlsConfigurationException if the engine is not available
	 */
	public static ServerTlsEngine of(Engine engine, MtlsTlsMaterial material, @Nullable ClassLoader classLoader) {
		return switch (engine) {
			case JDK -> new ServerTlsEngine(engine, material, null);
			case CONSCRYPT -> new ServerTlsEngine(engine, material, conscrypt(classLoader));
		};
	}

	public Engine getEngine() {
		return this.engine;
	}

	/**
	 * Create a server context on the current material.
	 * @return the context
	 */
	public SSLContext createSslContext() {
		return this.material.createSslContext(this.provider);
	}

	/**
	 * Return the key and trust managers every context uses.
	 * @return the managers
	 */
	public SslManagerBundle getManagers() {
		return this.material.bundle(SslOptions.NONE).getManagers();
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
				org.conscrypt.Conscrypt.checkAvailability();
			}
			catch (Throwable ex) {
				throw new MtlsConfigurationException(PROPERTY, "conscrypt",
						"Conscrypt's native library does not load on this platform (" + System.getProperty("os.name")
								+ ", " + System.getProperty("os.arch") + "): " + ex,
						"Use " + CONSCRYPT_DEPENDENCY + " built for this platform, or set mtls.server.engine to jdk.",
						ex);
			}
			// A provider of its own, never installed JVM-wide: only this connector uses it.
			return org.conscrypt.Conscrypt.newProviderBuilder().setName("Conscrypt-mtls").provideTrustManager(false).build();
		}

	}

}
