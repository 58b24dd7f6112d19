package dev.mtls.boot.autoconfigure.http.client;

/**
 * Outbound HTTP clients.
 *
 * @since 0.1.0
 */
public class MtlsClientProperties {

	/**
	 * Whether auto-configured HTTP clients (RestClient, RestTemplate, WebClient, HTTP
	 * service clients) present the identity and trust only 'mtls.trust'.
	 */
	private boolean enabled = true;

	/**
	 * Whether outbound calls verify that the server's certificate matches the host name.
	 */
	private boolean hostnameVerification = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isHostnameVerification() {
		return this.hostnameVerification;
	}

	public void setHostnameVerification(boolean hostnameVerification) {
		this.hostnameVerification = hostnameVerification;
	}

}
