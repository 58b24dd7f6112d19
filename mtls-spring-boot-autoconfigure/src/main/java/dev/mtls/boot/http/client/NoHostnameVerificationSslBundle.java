package dev.mtls.boot.http.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * An SSL bundle whose trust managers still validate the server's chain but skip the
 * host name check ({@code mtls.client.hostname-verification=false}).
 */
public final class NoHostnameVerificationSslBundle {

	private NoHostnameVerificationSslBundle() {
	}

	public static SslBundle of(SslBundle bundle) {
		SslManagerBundle managers = bundle.getManagers();
		TrustManager[] trustManagers = Arrays.stream(managers.getTrustManagers())
			.map(NoHostnameVerificationSslBundle::withoutHostnameVerification)
			.toArray(TrustManager[]::new);
		// Boot wraps fixed trust managers in a factory only through from(TrustManager...)
		SslManagerBundle relaxed = SslManagerBundle.of(managers.getKeyManagerFactory(),
				SslManagerBundle.from(trustManagers).getTrustManagerFactory());
		return new Relaxed(SslBundle.of(bundle.getStores(), bundle.getKey(), bundle.getOptions(), bundle.getProtocol(),
				relaxed));
	}

	public static boolean isRelaxed(SslBundle bundle) {
		return bundle instanceof Relaxed;
	}

	/**
	 * Marks the bundle whose clients skip the host name check, for clients (Apache
	 * HttpClient) that check outside the trust manager.
	 */
	private record Relaxed(SslBundle delegate) implements SslBundle {

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
			return this.delegate.getManagers();
		}

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

}
