package dev.mtls.boot.autoconfigure;

import java.security.KeyStore;
import java.security.Provider;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * A {@link TrustManagerFactory} that returns a given trust manager, for clients that take a
 * factory (Reactor Netty) rather than managers. Boot's {@code SslManagerBundle.from(TrustManager...)}
 * would do the same but first initialises the JDK's default factory, which reads the JDK's cacerts
 * at start-up for nothing.
 */
final class FixedTrustManagerFactory extends TrustManagerFactory {

	private static final Provider PROVIDER = new Provider("MtlsFixedTrustManagerFactory", "1.0", "") {

		private static final long serialVersionUID = 1L;

	};

	FixedTrustManagerFactory(TrustManager trustManager) {
		super(new Spi(trustManager), PROVIDER, "fixed");
	}

	private static final class Spi extends TrustManagerFactorySpi {

		private final TrustManager trustManager;

		Spi(TrustManager trustManager) {
			this.trustManager = trustManager;
		}

		@Override
		protected void engineInit(KeyStore keyStore) {
		}

		@Override
		protected void engineInit(ManagerFactoryParameters parameters) {
		}

		@Override
		protected TrustManager[] engineGetTrustManagers() {
			return new TrustManager[] { this.trustManager };
		}

	}

}
