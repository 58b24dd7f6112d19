package dev.mtls.boot.http.client;

import javax.net.ssl.SSLException;

/**
 * An outbound TLS handshake failure explained in words: which side refused whom, and why.
 * The original failure is the cause.
 *
 * @since 0.1.0
 */
public class MtlsHandshakeException extends SSLException {

	private static final long serialVersionUID = 1L;

	public MtlsHandshakeException(String message, Throwable cause) {
		super(message, cause);
	}

}
