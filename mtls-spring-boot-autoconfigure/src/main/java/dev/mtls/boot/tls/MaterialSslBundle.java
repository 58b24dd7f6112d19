package dev.mtls.boot.tls;

import javax.net.ssl.SSLContext;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * An SSL bundle on the current {@link MtlsTlsMaterial}, whose clients verify or skip the
 * server's host name.
 *
 * @param material the material
 * @param options the protocols and cipher suites
 * @param verifyHostNames whether clients verify the server's host name
 */
record MaterialSslBundle(MtlsTlsMaterial material, SslOptions options, boolean verifyHostNames) implements SslBundle {

	@Override
	public SslStoreBundle getStores() {
		return this.material.current().stores();
	}

	@Override
	public SslBundleKey getKey() {
		return this.material.current().key();
	}

	@Override
	public SslOptions getOptions() {
		return this.options;
	}

	@Override
	public String getProtocol() {
		return "TLS";
	}

	@Override
	public SslManagerBundle getManagers() {
		return this.material.managers(this.verifyHostNames);
	}

	@Override
	public SSLContext createSslContext() {
		return this.material.createSslContext(null, getManagers());
	}

	@Override
	public String toString() {
		return (this.verifyHostNames ? "" : "without host name verification: ") + "mTLS bundle "
				+ this.material.current().subject();
	}

}
