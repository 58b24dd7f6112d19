package dev.mtls.boot.autoconfigure;

import java.security.KeyStore;
import java.security.Provider;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;

/**
 * A {@link KeyManagerFactory} that returns a given key manager, for clients that take a
 * factory (Reactor Netty) rather than managers.
 */
final class FixedKeyManagerFactory extends KeyManagerFactory {

	private static final Provider PROVIDER = new Provider("MtlsFixedKeyManagerFactory", "1.0", "") {

		private static final long serialVersionUID = 1L;

	};

	FixedKeyManagerFactory(KeyManager keyManager) {
		super(new Spi(keyManager), PROVIDER, "fixed");
	}

	private static final class Spi extends KeyManagerFactorySpi {

		private final KeyManager keyManager;

		Spi(KeyManager keyManager) {
			this.keyManager = keyManager;
		}

		@Override
		protected void engineInit(KeyStore keyStore, char[] password) {
		}

		@Override
		protected void engineInit(ManagerFactoryParameters parameters) {
		}

		@Override
		protected KeyManager[] engineGetKeyManagers() {
			return new KeyManager[] { this.keyManager };
		}

	}

}
