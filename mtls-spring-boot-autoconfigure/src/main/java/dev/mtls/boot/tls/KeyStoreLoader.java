package dev.mtls.boot.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.crypto.BadPaddingException;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Opens PKCS12 and JKS key and trust stores through Spring Boot's JKS support and finds
 * the identity's key entry; every problem becomes an {@link MtlsConfigurationException}
 * naming the property.
 */
final class KeyStoreLoader {

	private static final String IDENTITY = TlsMaterialLoader.IDENTITY;

	private final ResourceLoader resourceLoader;

	KeyStoreLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	KeyStore load(String prefix, String location, @Nullable String type, @Nullable String password) {
		if (!this.resourceLoader.getResource(location).exists()) {
			throw MissingLocation.of(prefix + ".location", location, location,
					"Point " + prefix + ".location at an existing PKCS12 or JKS file.");
		}
		String storeType = (type != null) ? type : inferType(location);
		JksSslStoreDetails details = new JksSslStoreDetails(storeType, null, location, password);
		KeyStore store;
		try {
			store = prefix.startsWith(IDENTITY)
					? new JksSslStoreBundle(details, null, this.resourceLoader).getKeyStore()
					: new JksSslStoreBundle(null, details, this.resourceLoader).getTrustStore();
		}
		catch (RuntimeException ex) {
			String reason = TlsMaterialLoader.rootMessage(ex);
			boolean passwordProblem = isPasswordProblem(ex);
			throw new MtlsConfigurationException(passwordProblem ? prefix + ".password" : prefix + ".location",
					passwordProblem ? null : location,
					"the %s store '%s' cannot be opened: %s".formatted(storeType, location, reason),
					passwordProblem ? "Set " + prefix + ".password to the store's password."
							: "Check that " + prefix + ".location is a " + storeType + " file, or set " + prefix
									+ ".type to its type (PKCS12 or JKS).",
					ex);
		}
		// Boot returns no store only for details without a location.
		Assert.state(store != null, () -> "No store loaded from '" + location + "'");
		return store;
	}

	/**
	 * Whether opening a store failed on its password: the JDK says so in a message
	 * ("keystore password was incorrect") or fails to decrypt (PKCS12).
	 * @param ex why the store could not be opened
	 * @return {@code true} if the password is wrong
	 */
	private static boolean isPasswordProblem(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
			if (cause instanceof UnrecoverableKeyException || cause instanceof BadPaddingException
					|| message.contains("password") || message.contains("bad key")) {
				return true;
			}
		}
		return false;
	}

	private static String inferType(String location) {
		return location.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
	}

	static String keyAlias(KeyStore store, @Nullable String alias, String location) {
		try {
			List<String> keyAliases = new ArrayList<>();
			for (String candidate : Collections.list(store.aliases())) {
				if (store.entryInstanceOf(candidate, KeyStore.PrivateKeyEntry.class)) {
					keyAliases.add(candidate);
				}
			}
			if (alias != null) {
				if (!keyAliases.contains(alias)) {
					throw new MtlsConfigurationException(IDENTITY + ".keystore.alias", alias,
							"'%s' holds no private key entry with this alias (private key entries: %s)"
								.formatted(location, keyAliases),
							"Set " + IDENTITY + ".keystore.alias to one of " + keyAliases + ".");
				}
				return alias;
			}
			if (keyAliases.size() != 1) {
				throw new MtlsConfigurationException(IDENTITY + ".keystore.location", location,
						"the key store holds %d key entries %s, so the identity is ambiguous"
							.formatted(keyAliases.size(), keyAliases),
						keyAliases.isEmpty() ? "Point " + IDENTITY + ".keystore.location at a store with a private key."
								: "Set " + IDENTITY + ".keystore.alias to the entry to use.");
			}
			return keyAliases.get(0);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
