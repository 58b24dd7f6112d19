package dev.mtls.boot.http.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import dev.mtls.boot.tls.FixedManagerFactories;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * An SSL bundle whose trust managers still validate the server's chain but skip the host
 * name check ({@code mtls.client.hostname-verification=false}); its contexts are tracked
 * like the mtls bundle's own, so their sessions are capped and end on reload.
 *
 * @since 0.1.0
 */
public final class NoHostnameVerificationSslBundle {

	private NoHostnameVerificationSslBundle() {
	}

	/**
	 * Return a view of a bundle whose clients skip the host name check.
	 * @param bundle the bundle
	 * @param tracker what every context created from the view is handed to, such as
	 * {@code MtlsTlsMaterial::track}
	 * @return the relaxed bundle
	 */
	public static SslBundle of(SslBundle bundle, UnaryOperator<SSLContext> tracker) {
		SslManagerBundle managers = bundle.getManagers();
		TrustManager[] trustManagers = Arrays.stream(managers.getTrustManagers())
			.map(NoHostnameVerificationSslBundle::withoutHostnameVerification)
			.toArray(TrustManager[]::new);
		// Not SslManagerBundle.from(TrustManager...): it initialises the JDK's default
		// factory, which reads cacerts for nothing.
		SslManagerBundle relaxed = SslManagerBundle.of(managers.getKeyManagerFactory(),
				FixedManagerFactories.forTrustManagers(trustManagers));
		return new Relaxed(bundle, relaxed, tracker);
	}

	public static boolean isRelaxed(@Nullable SslBundle bundle) {
		return bundle instanceof Relaxed;
	}

	private static TrustManager withoutHostnameVerification(TrustManager trustManager) {
		if (!(trustManager instanceof X509TrustManager x509)) {
			return trustManager;
		}
		return new X509ExtendedTrustManager() {

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
					throws CertificateException {
				x509.checkServerTrusted(chain, authType);
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
					throws CertificateException {
				x509.checkServerTrusted(chain, authType);
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
				x509.checkServerTrusted(chain, authType);
			}

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
					throws CertificateException {
				x509.checkClientTrusted(chain, authType);
			}

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
					throws CertificateException {
				x509.checkClientTrusted(chain, authType);
			}

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
				x509.checkClientTrusted(chain, authType);
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return x509.getAcceptedIssuers();
			}

		};
	}

	/**
	 * Marks the bundle whose clients skip the host name check, for clients (Apache
	 * HttpClient) that check outside the trust manager.
	 */
	private record Relaxed(SslBundle delegate, SslManagerBundle managers,
			UnaryOperator<SSLContext> tracker) implements SslBundle {

		@Override
		public SslStoreBundle getStores() {
			return this.delegate.getStores();
		}

		@Override
		public SslBundleKey getKey() {
			return this.delegate.getKey();
		}

		@Override
		public SslOptions getOptions() {
			return this.delegate.getOptions();
		}

		@Override
		public String getProtocol() {
			return this.delegate.getProtocol();
		}

		@Override
		public SslManagerBundle getManagers() {
			return this.managers;
		}

		@Override
		public SSLContext createSslContext() {
			return this.tracker.apply(this.managers.createSslContext(getProtocol()));
		}

		@Override
		public String toString() {
			return "without host name verification: " + this.delegate;
		}

	}

}
