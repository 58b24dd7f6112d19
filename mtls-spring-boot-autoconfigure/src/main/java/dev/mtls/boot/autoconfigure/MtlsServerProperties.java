package dev.mtls.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.tls.TlsDefaults;
import dev.mtls.boot.tls.TlsEngine;

import org.springframework.boot.web.server.Ssl;

/**
 * TLS settings of the embedded web server.
 *
 * @since 0.1.0
 */
public class MtlsServerProperties {

	/**
	 * Whether the server needs, wants or does not request a client certificate.
	 */
	private Ssl.ClientAuth clientAuth = Ssl.ClientAuth.NEED;

	/**
	 * Enabled TLS protocols.
	 */
	private List<String> protocols = new ArrayList<>(TlsDefaults.PROTOCOLS);

	/**
	 * Enabled TLS 1.2 cipher suites (IANA names). TLS 1.3 suites, all AEAD, are always
	 * enabled with TLS 1.3. Defaults to Mozilla's "intermediate" ECDHE suites with
	 * AES-GCM or ChaCha20-Poly1305.
	 */
	private List<String> cipherSuites = new ArrayList<>(TlsDefaults.TLS12_CIPHER_SUITES);

	/**
	 * TLS implementation of the server connector: the JDK's, or BoringSSL through
	 * Conscrypt (add org.conscrypt:conscrypt-openjdk-uber), which needs about half the
	 * CPU per handshake.
	 */
	private TlsEngine engine = TlsEngine.JDK;

	public TlsEngine getEngine() {
		return this.engine;
	}

	public void setEngine(TlsEngine engine) {
		this.engine = engine;
	}

	public Ssl.ClientAuth getClientAuth() {
		return this.clientAuth;
	}

	public void setClientAuth(Ssl.ClientAuth clientAuth) {
		this.clientAuth = clientAuth;
	}

	public List<String> getProtocols() {
		return this.protocols;
	}

	public void setProtocols(List<String> protocols) {
		this.protocols = protocols;
	}

	public List<String> getCipherSuites() {
		return this.cipherSuites;
	}

	public void setCipherSuites(List<String> cipherSuites) {
		this.cipherSuites = cipherSuites;
	}

}
