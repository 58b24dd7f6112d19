package dev.mtls.boot.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Serves the current identity with its private key as a key of the TLS engine's own
 * provider, made once per identity: Conscrypt, handed a key of another provider, parses
 * its PKCS#8 encoding into BoringSSL on every handshake (and for an EC key computes the
 * public key again), some 15 % of a full handshake's server CPU.
 */
final class ProviderKeyManager extends X509ExtendedKeyManager {

	private static final Log logger = LogFactory.getLog(ProviderKeyManager.class);

	private final X509ExtendedKeyManager keyManager;

	private final Provider provider;

	private volatile @Nullable Converted last;

	ProviderKeyManager(X509ExtendedKeyManager keyManager, Provider provider) {
		this.keyManager = keyManager;
		this.provider = provider;
	}

	@Override
	public @Nullable PrivateKey getPrivateKey(String alias) {
		PrivateKey key = this.keyManager.getPrivateKey(alias);
		if (key == null) {
			return null;
		}
		// The identity's key manager hands out the same key object until a reload.
		Converted last = this.last;
		if (last != null && last.original() == key) {
			return last.converted();
		}
		Converted converted = new Converted(key, convert(key));
		this.last = converted;
		return converted.converted();
	}

	private PrivateKey convert(PrivateKey key) {
		if (!"PKCS#8".equals(key.getFormat())) {
			return key;
		}
		try {
			return KeyFactory.getInstance(key.getAlgorithm(), this.provider)
				.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// The engine converts it on each handshake, as it would anyway.
			logger.debug("%s key not converted for %s: %s".formatted(key.getAlgorithm(), this.provider.getName(), ex));
			return key;
		}
	}

	@Override
	public X509Certificate @Nullable [] getCertificateChain(String alias) {
		return this.keyManager.getCertificateChain(alias);
	}

	@Override
	public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
		return this.keyManager.getClientAliases(keyType, issuers);
	}

	@Override
	public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers,
			@Nullable Socket socket) {
		return this.keyManager.chooseClientAlias(keyType, issuers, socket);
	}

	@Override
	public @Nullable String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
			@Nullable SSLEngine engine) {
		return this.keyManager.chooseEngineClientAlias(keyType, issuers, engine);
	}

	@Override
	public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
		return this.keyManager.getServerAliases(keyType, issuers);
	}

	@Override
	public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
		return this.keyManager.chooseServerAlias(keyType, issuers, socket);
	}

	@Override
	public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
			@Nullable SSLEngine engine) {
		return this.keyManager.chooseEngineServerAlias(keyType, issuers, engine);
	}

	/**
	 * A key of the identity and the same key of the engine's provider.
	 *
	 * @param original the identity's key
	 * @param converted the engine provider's key, or the original if it could not be
	 * converted
	 */
	private record Converted(PrivateKey original, PrivateKey converted) {
	}

}
