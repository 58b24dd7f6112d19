package dev.mtls.boot.tls;

import java.security.KeyStore;
import java.security.Provider;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * Key and trust manager factories that return given managers, for clients that take
 * factories (Reactor Netty) rather than managers. Boot's
 * {@code SslManagerBundle.from(TrustManager...)} would make the trust one too, but first
 * initialises the JDK's default factory, which reads the JDK's cacerts at start-up for
 * nothing. The test module builds its personas' SSL bundles with them too.
 *
 * @since 0.1.0
 */
public final class FixedManagerFactories {

	private static final Provider PROVIDER = new Provider("MtlsFixedManagerFactories", "1.0", "") {

		private static final long serialVersionUID = 1L;

	};

	private FixedManagerFactories() {
	}

	/**
	 * Return a factory whose key manager is the given one.
	 * @param keyManager the key manager
	 * @return the factory
	 */
	public static KeyManagerFactory forKeyManager(KeyManager keyManager) {
		return new KeyManagerFactory(new KeyManagerFactorySpi() {

			@Override
			protected void engineInit(KeyStore keyStore, char[] password) {
			}

			@Override
			protected void engineInit(ManagerFactoryParameters parameters) {
			}

			@Override
			protected KeyManager[] engineGetKeyManagers() {
				return new KeyManager[] { keyManager };
			}

		}, PROVIDER, "fixed") {
		};
	}

	/**
	 * Return a factory whose trust managers are the given ones.
	 * @param trustManagers the trust managers
	 * @return the factory
	 */
	public static TrustManagerFactory forTrustManagers(TrustManager... trustManagers) {
		return new TrustManagerFactory(new TrustManagerFactorySpi() {

			@Override
			protected void engineInit(KeyStore keyStore) {
			}

			@Override
			protected void engineInit(ManagerFactoryParameters parameters) {
			}

			@Override
			protected TrustManager[] engineGetTrustManagers() {
				return trustManagers.clone();
			}

		}, PROVIDER, "fixed") {
		};
	}

}
