package dev.mtls.boot.security;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Checks a client's chain again for each request against the current trust, policy and
 * revocation, so that a TLS session resumed, or a connection kept open, after a reload or
 * a revocation does not carry a verdict that no longer holds.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ClientChainVerifier {

	/**
	 * Verify a client chain.
	 * @param chain the client's chain, leaf first
	 * @throws CertificateException if the chain is no longer acceptable
	 */
	void verify(X509Certificate[] chain) throws CertificateException;

}
