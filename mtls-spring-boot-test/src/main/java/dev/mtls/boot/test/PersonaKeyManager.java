package dev.mtls.boot.test;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.jspecify.annotations.Nullable;

/**
 * Presents one persona's certificate whatever the peer asks for. The JDK's key manager
 * presents nothing when the server names CAs that did not issue it, so an untrusted
 * persona would never reach the server's validation; a test wants the server to see it
 * and refuse it.
 */
class PersonaKeyManager extends X509ExtendedKeyManager {

	static final String ALIAS = "client";

	private final X509Certificate[] chain;

	private final PrivateKey privateKey;

	PersonaKeyManager(X509Certificate[] chain, PrivateKey privateKey) {
		this.chain = chain;
		this.privateKey = privateKey;
	}

	@Override
	public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
		return new String[] { ALIAS };
	}

	@Override
	public String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
		return ALIAS;
	}

	@Override
	public String chooseEngineClientAlias(String[] keyTypes, Principal @Nullable [] issuers,
			@Nullable SSLEngine engine) {
		return ALIAS;
	}

	@Override
	public String[] getServerAliases(String keyType, Principal @Nullable [] issuers) {
		return new String[] { ALIAS };
	}

	@Override
	public String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
		return ALIAS;
	}

	@Override
	public String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
		return ALIAS;
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		return this.chain.clone();
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		return this.privateKey;
	}

}
