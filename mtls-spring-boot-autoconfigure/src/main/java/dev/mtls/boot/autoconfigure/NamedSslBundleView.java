package dev.mtls.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * The bundle named by {@code mtls.bundle}, looked up on every use so that a reloaded
 * bundle is seen, with the starter's protocols and cipher suites.
 */
class NamedSslBundleView implements SslBundle {

	private final String name;

	private final ObjectProvider<SslBundles> sslBundles;

	private final SslOptions options;

	NamedSslBundleView(String name, ObjectProvider<SslBundles> sslBundles, SslOptions options) {
		this.name = name;
		this.sslBundles = sslBundles;
		this.options = options;
	}

	private SslBundle target() {
		try {
			return this.sslBundles.getObject().getBundle(this.name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new MtlsConfigurationException("mtls.bundle", this.name, "no SSL bundle with this name is configured",
					"Set mtls.bundle to the name of a bundle under spring.ssl.bundle.pem or spring.ssl.bundle.jks, "
							+ "or configure mtls.identity and mtls.trust instead.",
					ex);
		}
	}

	@Override
	public SslStoreBundle getStores() {
		return target().getStores();
	}

	@Override
	public SslBundleKey getKey() {
		return target().getKey();
	}

	@Override
	public SslOptions getOptions() {
		return this.options;
	}

	@Override
	public String getProtocol() {
		return target().getProtocol();
	}

	@Override
	public SslManagerBundle getManagers() {
		return target().getManagers();
	}

	@Override
	public String toString() {
		return "SSL bundle '" + this.name + "' with mtls.server options";
	}

}
