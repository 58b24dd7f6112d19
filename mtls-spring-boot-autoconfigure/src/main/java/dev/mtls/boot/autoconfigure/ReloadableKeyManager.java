package dev.mtls.boot.autoconfigure;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A key manager that asks the current one on every handshake, so that a reloaded identity
 * is presented on new connections without a new {@code SSLContext}.
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {

	private static final Log logger = LogFactory.getLog(ReloadableKeyManager.class);

	private static final int MAX_REPORTED = 100;

	private final Supplier<X509ExtendedKeyManager> current;

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	ReloadableKeyManager(Supplier<X509ExtendedKeyManager> current) {
		this.current = current;
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		return this.current.get().getClientAliases(keyType, issuers);
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		return noted(this.current.get().chooseClientAlias(keyType, issuers, socket), issuers);
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		return noted(this.current.get().chooseEngineClientAlias(keyType, issuers, engine), issuers);
	}

	/**
	 * The JDK silently sends no certificate when the server names CAs that ours does not
	 * chain to: say so once per list of CAs.
	 */
	private @Nullable String noted(@Nullable String alias, Principal @Nullable [] issuers) {
		if (alias == null && issuers != null && issuers.length > 0) {
			String names = Arrays.toString(Arrays.stream(issuers).map(Principal::getName).toArray());
			if (this.reported.size() < MAX_REPORTED && this.reported.add(names)) {
				logger.warn("A server asked for a client certificate from " + names
						+ ", but the mTLS identity does not chain to any of them: no client certificate sent");
			}
		}
		return alias;
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
