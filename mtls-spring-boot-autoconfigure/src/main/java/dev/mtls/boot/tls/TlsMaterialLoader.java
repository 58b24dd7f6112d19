package dev.mtls.boot.tls;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.CertificateText;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.crypto.BadPaddingException;

import dev.mtls.boot.trust.CertificateValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import org.springframework.util.StreamUtils;

/**
 * Loads the identity and trust named by {@link MtlsProperties} into key stores, through
 * Spring Boot's PEM and JKS/PKCS12 support, and checks them. Every problem becomes an
 * {@link MtlsConfigurationException} naming the property.
 */
class TlsMaterialLoader {

	private static final Log logger = LogFactory.getLog(TlsMaterialLoader.class);

	private static final String IDENTITY = "mtls.identity";

	/**
	 * Type of the in-memory key store that holds a PEM identity for the key manager. PKCS12,
	 * the JDK's default type, encrypts the key with 10,000 rounds of PBKDF2 on the way in and
	 * again on the way out to the key manager: about 0.15 s of start-up and of every reload on
	 * a cold JVM, to protect a key that is in memory anyway. JKS stores it with a cheap
	 * obfuscation. The store is never written anywhere.
	 */
	private static final @Nullable String IN_MEMORY_KEY_STORE_TYPE = (Security.getProviders("KeyStore.JKS") != null)
			? "JKS" : null;

	private static final String BOUNCY_CASTLE_PEM_PARSER = "org.bouncycastle.openssl.PEMParser";

	private final ResourceLoader resourceLoader;

	TlsMaterialLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	Identity loadIdentity(MtlsProperties.Identity properties) {
		boolean keyStore = properties.getKeystore().getLocation() != null;
		Identity identity = keyStore ? loadKeyStoreIdentity(properties) : loadPemIdentity(properties);
		checkValidity(identity.chain().get(0), keyStore ? IDENTITY + ".keystore.location" : IDENTITY + ".certificate");
		return identity;
	}

	private Identity loadPemIdentity(MtlsProperties.Identity properties) {
		String certificateValue = required(IDENTITY + ".certificate", properties.getCertificate(),
				"the PEM certificate chain (leaf first) of this service");
		String keyValue = required(IDENTITY + ".private-key", properties.getPrivateKey(),
				"the PEM private key matching " + IDENTITY + ".certificate");
		List<X509Certificate> chain = readCertificates(IDENTITY + ".certificate", certificateValue);
		PrivateKey key = readPrivateKey(IDENTITY + ".private-key", keyValue, properties.getPrivateKeyPassword());
		checkKeyMatches(key, chain.get(0), IDENTITY + ".private-key", MtlsConfigurationException.displayValue(keyValue),
				"Point " + IDENTITY + ".private-key at the key of the certificate in " + IDENTITY
						+ ".certificate, or fix the certificate.");
		// JKS takes no null password; an empty one protects as much as none.
		KeyStore keyStore = new PemSslStoreBundle(PemSslStore.of(IN_MEMORY_KEY_STORE_TYPE, "mtls", "", chain, key), null)
			.getKeyStore();
		return new Identity(keyStore, null, SslBundleKey.of("", "mtls"), chain);
	}

	private Identity loadKeyStoreIdentity(MtlsProperties.Identity properties) {
		MtlsProperties.Keystore keystore = properties.getKeystore();
		if (properties.isPemConfigured()) {
			throw new MtlsConfigurationException(IDENTITY + ".keystore.location", keystore.getLocation(),
					"a key store and a PEM identity (" + IDENTITY + ".certificate/.private-key) are both set",
					"Configure the identity either as PEM or as a key store, not both.");
		}
		String location = keystore.getLocation();
		String password = keystore.getPassword();
		KeyStore store = loadStore(IDENTITY + ".keystore", location, keystore.getType(), password);
		String alias = keyAlias(store, keystore.getAlias(), location);
		try {
			Key key = store.getKey(alias, (password != null) ? password.toCharArray() : new char[0]);
			Certificate[] chain = store.getCertificateChain(alias);
			List<X509Certificate> certificates = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
			checkKeyMatches((PrivateKey) key, certificates.get(0), IDENTITY + ".keystore.location", location,
					"Store the key entry with its own certificate chain.");
			return new Identity(store, password, SslBundleKey.of(password, alias), certificates);
		}
		catch (GeneralSecurityException ex) {
			throw new MtlsConfigurationException(IDENTITY + ".keystore.password", null,
					"the key entry '%s' in '%s' cannot be read: %s".formatted(alias, location, rootMessage(ex)),
					"Set " + IDENTITY + ".keystore.password to the password of both the store and its key entry.",
					ex);
		}
	}

	private String keyAlias(KeyStore store, @Nullable String alias, String location) {
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
							"'%s' holds no private key entry with this alias (private key entries: %s)".formatted(location,
									keyAliases),
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

	KeyStore loadTrust(MtlsProperties.Trust properties) {
		MtlsProperties.Truststore truststore = properties.getTruststore();
		if (truststore.getLocation() != null) {
			if (!properties.getCertificates().isEmpty()) {
				throw new MtlsConfigurationException("mtls.trust.truststore.location", truststore.getLocation(),
						"a trust store and PEM certificates (mtls.trust.certificates) are both set",
						"Configure trust either as PEM certificates or as a trust store, not both.");
			}
			KeyStore store = loadStore("mtls.trust.truststore", truststore.getLocation(), truststore.getType(),
					truststore.getPassword());
			try {
				if (store.size() == 0) {
					throw emptyTrust("mtls.trust.truststore.location", truststore.getLocation(),
							"the trust store holds no certificates");
				}
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			return store;
		}
		List<X509Certificate> certificates = new ArrayList<>();
		List<String> values = properties.getCertificates();
		for (int i = 0; i < values.size(); i++) {
			certificates.addAll(readTrustedCertificates("mtls.trust.certificates[%d]".formatted(i), values.get(i)));
		}
		if (certificates.isEmpty()) {
			throw emptyTrust("mtls.trust.certificates", null, "no trusted CA certificate is configured");
		}
		return new PemSslStoreBundle(null, PemSslStore.of(certificates, null)).getTrustStore();
	}

	List<X509CRL> loadCrls(List<String> locations) {
		List<X509CRL> crls = new ArrayList<>();
		for (int i = 0; i < locations.size(); i++) {
			String property = "mtls.revocation.crls[%d]".formatted(i);
			String location = locations.get(i);
			Resource resource = this.resourceLoader.getResource(location);
			if (!resource.exists()) {
				throw new MtlsConfigurationException(property, MtlsConfigurationException.displayValue(location),
						"the file does not exist", "Point " + property + " at a CRL file (PEM or DER).");
			}
			try (InputStream in = resource.getInputStream()) {
				List<X509CRL> read = CertificateValidator.readCrls(in);
				if (read.isEmpty()) {
					throw new IOException("no CRL in it");
				}
				crls.addAll(read);
			}
			catch (IOException ex) {
				throw new MtlsConfigurationException(property, MtlsConfigurationException.displayValue(location),
						"the file cannot be read as a CRL: " + rootMessage(ex),
						"Point " + property + " at a CRL file (PEM '-----BEGIN X509 CRL-----' or DER).", ex);
			}
		}
		return crls;
	}

	private MtlsConfigurationException emptyTrust(String property, @Nullable String value, String problem) {
		return new MtlsConfigurationException(property, value, problem,
				"Set mtls.trust.certificates to the PEM certificates (files or directories) of the CAs whose "
						+ "clients and servers this service trusts, or mtls.trust.truststore.location to a trust store.");
	}

	private List<X509Certificate> readTrustedCertificates(String property, String value) {
		if (!PemContent.isPresentInText(value)) {
			Resource resource = this.resourceLoader.getResource(value);
			File directory = directory(resource);
			if (directory != null) {
				File[] files = directory.listFiles((dir, name) -> name.endsWith(".pem") || name.endsWith(".crt"));
				List<X509Certificate> certificates = new ArrayList<>();
				if (files != null) {
					Arrays.sort(files);
					for (File file : files) {
						for (X509Certificate certificate : readCertificates(property, "file:" + file.getAbsolutePath())) {
							if (certificate.getBasicConstraints() < 0) {
								logger.warn("Not trusting '%s' from %s: it is not a CA certificate".formatted(
										CertificateText.escape(certificate.getSubjectX500Principal().getName()), file));
							}
							else {
								certificates.add(certificate);
							}
						}
					}
				}
				if (certificates.isEmpty()) {
					throw emptyTrust(property, value, "the directory holds no '*.pem' or '*.crt' certificate");
				}
				return certificates;
			}
		}
		return readCertificates(property, value);
	}

	private static @Nullable File directory(Resource resource) {
		try {
			return (resource.isFile() && resource.getFile().isDirectory()) ? resource.getFile() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private List<X509Certificate> readCertificates(String property, String value) {
		String text = readPem(property, value);
		try {
			return PemContent.of(text).getCertificates();
		}
		catch (RuntimeException ex) {
			throw new MtlsConfigurationException(property, MtlsConfigurationException.displayValue(value),
					"no X.509 certificate could be read from it: " + rootMessage(ex),
					"Point " + property + " at a PEM file holding '-----BEGIN CERTIFICATE-----' blocks.", ex);
		}
	}

	private PrivateKey readPrivateKey(String property, String value, @Nullable String password) {
		String text = readPem(property, value);
		String display = MtlsConfigurationException.displayValue(value);
		boolean encrypted = text.contains("ENCRYPTED");
		if (encrypted && password == null) {
			throw new MtlsConfigurationException(property, display, "the private key is encrypted and no password is set",
					"Set " + IDENTITY + ".private-key-password to the key's password.");
		}
		try {
			PrivateKey key = text.contains("Proc-Type: 4,ENCRYPTED") ? readLegacyEncrypted(text, password)
					: PemContent.of(text).getPrivateKey(password);
			if (key == null) {
				throw new MtlsConfigurationException(property, display, "it holds no private key",
						"Point " + property + " at a PEM private key (PKCS#8, PKCS#1 or SEC1).");
			}
			return key;
		}
		catch (MtlsConfigurationException ex) {
			throw ex;
		}
		catch (RuntimeException | IOException ex) {
			if (encrypted) {
				throw new MtlsConfigurationException(IDENTITY + ".private-key-password", null,
						"the private key in '%s' cannot be decrypted with it: %s".formatted(display, rootMessage(ex)),
						"Set " + IDENTITY + ".private-key-password to the password the key was encrypted with.", ex);
			}
			throw new MtlsConfigurationException(property, display, "the private key cannot be read: " + rootMessage(ex),
					"Point " + property + " at a PEM private key (PKCS#8, PKCS#1 or SEC1).", ex);
		}
	}

	/**
	 * Read an OpenSSL "traditional" encrypted key ({@code Proc-Type: 4,ENCRYPTED}), which
	 * Spring Boot does not parse, with BouncyCastle.
	 */
	private static PrivateKey readLegacyEncrypted(String text, @Nullable String password) throws IOException {
		if (!ClassUtils.isPresent(BOUNCY_CASTLE_PEM_PARSER, TlsMaterialLoader.class.getClassLoader())) {
			throw new IllegalStateException("reading an OpenSSL-encrypted (Proc-Type) key needs BouncyCastle "
					+ "(org.bouncycastle:bcpkix-jdk18on) on the class path");
		}
		return LegacyEncryptedKeyReader.read(text, (password != null) ? password : "");
	}

	private String readPem(String property, String value) {
		if (PemContent.isPresentInText(value)) {
			return value;
		}
		String display = MtlsConfigurationException.displayValue(value);
		Resource resource = this.resourceLoader.getResource(value);
		if (!resource.exists()) {
			throw new MtlsConfigurationException(property, display, "the file does not exist",
					"Point " + property + " at an existing, readable PEM file (for example file:/etc/mtls/tls.crt) "
							+ "or put the PEM text inline.");
		}
		String text;
		try (InputStream in = resource.getInputStream()) {
			text = StreamUtils.copyToString(in, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new MtlsConfigurationException(property, display, "the file cannot be read: " + rootMessage(ex),
					"Make " + display + " readable by the user running the application.", ex);
		}
		if (!PemContent.isPresentInText(text)) {
			throw new MtlsConfigurationException(property, display, "the file is not PEM: no '-----BEGIN ...-----' block",
					"Point " + property + " at a PEM file. Convert DER files with 'openssl x509 -inform der' "
							+ "or 'openssl pkey -inform der'.");
		}
		return text;
	}

	private KeyStore loadStore(String prefix, String location, @Nullable String type, @Nullable String password) {
		if (!this.resourceLoader.getResource(location).exists()) {
			throw new MtlsConfigurationException(prefix + ".location", location, "the file does not exist",
					"Point " + prefix + ".location at an existing PKCS12 or JKS file.");
		}
		String storeType = (type != null) ? type : inferType(location);
		JksSslStoreDetails details = new JksSslStoreDetails(storeType, null, location, password);
		try {
			return prefix.startsWith(IDENTITY) ? new JksSslStoreBundle(details, null, this.resourceLoader).getKeyStore()
					: new JksSslStoreBundle(null, details, this.resourceLoader).getTrustStore();
		}
		catch (RuntimeException ex) {
			String reason = rootMessage(ex);
			boolean passwordProblem = isPasswordProblem(ex);
			throw new MtlsConfigurationException(passwordProblem ? prefix + ".password" : prefix + ".location",
					passwordProblem ? null : location,
					"the %s store '%s' cannot be opened: %s".formatted(storeType, location, reason),
					passwordProblem ? "Set " + prefix + ".password to the store's password."
							: "Check that " + prefix + ".location is a " + storeType + " file, or set " + prefix
									+ ".type to its type (PKCS12 or JKS).",
					ex);
		}
	}

	/**
	 * Whether opening a store failed on its password: the JDK says so in a message
	 * ("keystore password was incorrect") or fails to decrypt (PKCS12).
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

	private static void checkKeyMatches(PrivateKey key, X509Certificate certificate, String property, String source,
			String action) {
		if (!keyMatches(key, certificate.getPublicKey())) {
			throw new MtlsConfigurationException(property, null,
					"the private key in '%s' does not match the certificate '%s'".formatted(source,
							CertificateText.escape(certificate.getSubjectX500Principal().getName())),
					action);
		}
	}

	private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
		if (key instanceof RSAPrivateKey rsaKey) {
			// An RSA key pair shares its modulus: no need for a cold private-key operation.
			return publicKey instanceof RSAPublicKey rsaPublicKey && rsaKey.getModulus().equals(rsaPublicKey.getModulus())
					&& (!(key instanceof RSAPrivateCrtKey crtKey)
							|| crtKey.getPublicExponent().equals(rsaPublicKey.getPublicExponent()));
		}
		String algorithm = switch (key.getAlgorithm()) {
			case "EC" -> "SHA256withECDSA";
			case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
			default -> null;
		};
		if (algorithm == null) {
			// No probe for this kind of key: the handshake will tell.
			return true;
		}
		try {
			byte[] probe = new byte[32];
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(key);
			signer.update(probe);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(publicKey);
			verifier.update(probe);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException ex) {
			// A key of another type than the certificate's fails here.
			return false;
		}
	}

	private static void checkValidity(X509Certificate certificate, String property) {
		String subject = CertificateText.escape(certificate.getSubjectX500Principal().getName());
		try {
			certificate.checkValidity();
		}
		catch (CertificateExpiredException ex) {
			throw new MtlsConfigurationException(property, null,
					"the identity certificate '%s' expired on %s".formatted(subject, certificate.getNotAfter()
						.toInstant()),
					"Renew the certificate, or point " + IDENTITY + " at a current one.", ex);
		}
		catch (CertificateNotYetValidException ex) {
			throw new MtlsConfigurationException(property, null,
					"the identity certificate '%s' is not valid before %s".formatted(subject,
							certificate.getNotBefore().toInstant()),
					"Check the system clock, or use a certificate that is valid now.", ex);
		}
	}

	private static String required(String property, @Nullable String value, String what) {
		if (value == null || value.isBlank()) {
			throw new MtlsConfigurationException(property, null, "it is not set",
					"Set " + property + " to " + what + ".");
		}
		return value;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	/**
	 * The service's identity: its key store, the key's coordinates in it, and its chain.
	 */
	record Identity(KeyStore keyStore, @Nullable String keyStorePassword, SslBundleKey key,
			List<X509Certificate> chain) {
	}

}
