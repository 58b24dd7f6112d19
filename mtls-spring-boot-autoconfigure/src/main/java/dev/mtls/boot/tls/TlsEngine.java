package dev.mtls.boot.tls;

/**
 * TLS implementations for the server connector.
 *
 * @since 0.1.0
 */
public enum TlsEngine {

	/**
	 * The JDK's own TLS (SunJSSE).
	 */
	JDK,

	/**
	 * BoringSSL through Conscrypt, an optional dependency, scoped to the connector.
	 */
	CONSCRYPT

}
