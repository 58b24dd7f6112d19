package dev.mtls.boot.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.OnceLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A key manager that serves the current identity on every handshake, so that a reloaded
 * identity is presented on new connections without a new {@code SSLContext}. Aliases
 * carry the generation they were chosen from, so a handshake that chose its alias just
 * before a reload still gets the key and chain of the same generation.
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {

	private static final Log logger = LogFactory.getLog(ReloadableKeyManager.class);

	private static final int MAX_REPORTED = 100;

	private volatile @Nullable Generation current;

	private volatile @Nullable Generation previous;

	private final OnceLog unmatched = new OnceLog(logger, MAX_REPORTED);

	synchronized void update(X509ExtendedKeyManager keyManager) {
		Generation current = this.current;
		this.previous = current;
		this.current = new Generation((current != null) ? current.number() + 1 : 0, keyManager);
	}

	private Generation current() {
		Generation current = this.current;
		if (current == null) {
			throw new IllegalStateException("mTLS identity not loaded yet");
		}
		return current;
	}

	private @Nullable String tag(Generation generation, @Nullable String alias) {
		return (alias != null) ? generation.number() + ":" + alias : null;
	}

	private String @Nullable [] tag(Generation generation, String @Nullable [] aliases) {
		return (aliases != null) ? Arrays.stream(aliases).map((alias) -> tag(generation, alias)).toArray(String[]::new)
				: null;
	}

	/**
	 * Return the key manager and alias a tagged alias was chosen from.
	 * @param taggedAlias the alias with its generation number in front
	 * @return the generation that chose the alias, the current one if it is unknown
	 */
	private Generation generation(String taggedAlias) {
		int separator = taggedAlias.indexOf(':');
		Generation current = current();
		Generation previous = this.previous;
		if (separator > 0 && previous != null
				&& taggedAlias.substring(0, separator).equals(Long.toString(previous.number()))) {
			return previous;
		}
		return current;
	}

	private static String untag(String taggedAlias) {
		int separator = taggedAlias.indexOf(':');
		return (separator > 0) ? taggedAlias.substring(separator + 1) : taggedAlias;
	}

	@Override
	public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
		Generation generation = current();
		return tag(generation, generation.keyManager().getClientAliases(keyType, issuers));
	}

	@Override
	public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers,
			@Nullable Socket socket) {
		Generation generation = current();
		return noted(tag(generation, generation.keyManager().chooseClientAlias(keyType, issuers, socket)), issuers);
	}

	@Override
	public @Nullable String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
			@Nullable SSLEngine engine) {
		Generation generation = current();
		return noted(tag(generation, generation.keyManager().chooseEngineClientAlias(keyType, issuers, engine)),
				issuers);
	}

	@Override
	public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
		Generation generation = current();
		return tag(generation, generation.keyManager().getServerAliases(keyType, issuers));
	}

	@Override
	public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
		Generation generation = current();
		return tag(generation, generation.keyManager().chooseServerAlias(keyType, issuers, socket));
	}

	@Override
	public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
			@Nullable SSLEngine engine) {
		Generation generation = current();
		return tag(generation, generation.keyManager().chooseEngineServerAlias(keyType, issuers, engine));
	}

	@Override
	public X509Certificate @Nullable [] getCertificateChain(String alias) {
		return generation(alias).keyManager().getCertificateChain(untag(alias));
	}

	@Override
	public @Nullable PrivateKey getPrivateKey(String alias) {
		return generation(alias).keyManager().getPrivateKey(untag(alias));
	}

	/**
	 * The JDK silently sends no certificate when the server names CAs that ours does not
	 * chain to: say so once per list of CAs.
	 * @param alias the alias chosen, or {@code null} if none matched
	 * @param issuers the CAs the server named, or {@code null}
	 * @return the alias, unchanged
	 */
	private @Nullable String noted(@Nullable String alias, Principal @Nullable [] issuers) {
		if (alias == null && issuers != null && issuers.length > 0) {
			// The server chose these names.
			String names = Arrays
				.toString(Arrays.stream(issuers).map((issuer) -> CertificateText.escape(issuer.getName())).toArray());
			this.unmatched.warn(names, () -> "A server asked for a client certificate from " + names
					+ ", but the mTLS identity does not chain to any of them: no client certificate sent");
		}
		return alias;
	}

	private record Generation(long number, X509ExtendedKeyManager keyManager) {
	}

}
