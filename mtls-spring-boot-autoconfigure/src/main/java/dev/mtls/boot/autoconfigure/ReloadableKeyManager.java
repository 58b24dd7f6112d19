package dev.mtls.boot.autoconfigure;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that asks the current one on every handshake, so that a reloaded identity
 * is presented on new connections without a new {@code SSLContext}.
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {

	private final Supplier<X509ExtendedKeyManager> current;

	ReloadableKeyManager(Supplier<X509ExtendedKeyManager> current) {
		this.current = current;
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		return this.current.get().getClientAliases(keyType, issuers);
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		return this.current.get().chooseClientAlias(keyType, issuers, socket);
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		return this.current.get().chooseEngineClientAlias(keyType, issuers, engine);
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		return this.current.get().getServerAliases(keyType, issuers);
	}

	@Override
	public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		return this.current.get().chooseServerAlias(keyType, issuers, socket);
	}

	@Override
	public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
		return this.current.get().chooseEngineServerAlias(keyType, issuers, engine);
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		return this.current.get().getCertificateChain(alias);
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		return this.current.get().getPrivateKey(alias);
	}

}
