package dev.mtls.boot.autoconfigure.actuate;

import org.springframework.boot.web.server.Ssl;

/**
 * TLS of a separate management server ('management.server.port').
 *
 * @since 0.1.0
 */
public class MtlsManagementProperties {

	/**
	 * Whether the management server needs, wants or does not request a client
	 * certificate. Defaults to none, so that probes need no certificate.
	 */
	private Ssl.ClientAuth clientAuth = Ssl.ClientAuth.NONE;

	public Ssl.ClientAuth getClientAuth() {
		return this.clientAuth;
	}

	public void setClientAuth(Ssl.ClientAuth clientAuth) {
		this.clientAuth = clientAuth;
	}

}
