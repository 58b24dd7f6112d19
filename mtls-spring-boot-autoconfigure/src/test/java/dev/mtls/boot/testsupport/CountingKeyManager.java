package dev.mtls.boot.testsupport;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.pki.IssuedCertificate;

/**
 * A key manager that presents one certificate, as a client whatever CAs the server names
 * (as an attacker's client would) or as a server, and counts how often it hands the chain
 * out: once per full handshake, since a resumed session does not send it again. Depends
 * on the JDK and the starter's {@code dev} CA only.
 */
public final class CountingKeyManager extends X509ExtendedKeyManager {

	private static final String ALIAS = "presented";

	private final IssuedCertificate certificate;

	private final AtomicInteger presented = new AtomicInteger();

	public CountingKeyManager(IssuedCertificate certificate) {
		this.certificate = certificate;
	}

	/**
	 * Return how often the certificate was presented, that is, how many full handshakes
	 * were made with it.
	 * @return the count
	 */
	public int certificatesPresented() {
		return this.presented.get();
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		return new String[] { ALIAS };
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		return ALIAS;
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		return ALIAS;
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		return new String[] { ALIAS };
	}

	@Override
	public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		return keyType.equals(this.certificate.getPrivateKey().getAlgorithm()) ? ALIAS : null;
	}

	@Override
	public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
		return chooseServerAlias(keyType, issuers, null);
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		this.presented.incrementAndGet();
		return this.certificate.getChain().toArray(X509Certificate[]::new);
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		return this.certificate.getPrivateKey();
	}

}
