package dev.mtls.boot.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

import dev.mtls.boot.identity.CertificateText;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A minted certificate with its private key and chain, and ways to write them as PEM,
 * PKCS12 or JKS.
 *
 * @since 0.1.0
 */
public final class IssuedCertificate {

	private final KeyPair keyPair;

	private final List<X509Certificate> chain;

	IssuedCertificate(KeyPair keyPair, List<X509Certificate> chain) {
		this.keyPair = keyPair;
		this.chain = List.copyOf(chain);
	}

	public X509Certificate getCertificate() {
		return this.chain.get(0);
	}

	public PrivateKey getPrivateKey() {
		return this.keyPair.getPrivate();
	}

	/**
	 * Return the chain, leaf first, up to but not including the root CA.
	 * @return the certificate chain
	 */
	public List<X509Certificate> getChain() {
		return this.chain;
	}

	KeyPair getKeyPair() {
		return this.keyPair;
	}

	/**
	 * Use this certificate, which must be a CA certificate, to sign others.
	 * @return a CA backed by this certificate
	 */
	public CertificateAuthority asCertificateAuthority() {
		return CertificateAuthority.of(this);
	}

	/**
	 * Return the chain as PEM text, leaf first.
	 * @return the PEM certificates
	 */
	public String certificatePem() {
		return pem(this.chain.toArray());
	}

	/**
	 * Return the private key as unencrypted PKCS#8 PEM.
	 * @return the PEM private key
	 */
	public String privateKeyPem() {
		return privateKeyPem(KeyFormat.PKCS8, null);
	}

	/**
	 * Return the private key as PEM in the given format, encrypted when a password is
	 * given.
	 * @param format the format: PKCS#8 or the traditional OpenSSL format (PKCS#1 for RSA,
	 * SEC1 for EC)
	 * @param password the password, or {@code null} for an unencrypted key
	 * @return the PEM private key
	 */
	public String privateKeyPem(KeyFormat format, @Nullable String password) {
		try {
			PrivateKey key = getPrivateKey();
			PemObjectGenerator generator = switch (format) {
				case PKCS8 -> new JcaPKCS8Generator(key,
						(password != null) ? new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
							.setProvider(BouncyCastle.PROVIDER)
							.setPassword(password.toCharArray())
							.build() : null);
				case TRADITIONAL -> new JcaMiscPEMGenerator(withEmbeddedParameters(key),
						(password != null)
								? new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BouncyCastle.PROVIDER)
									.build(password.toCharArray())
								: null);
			};
			return pem(generator);
		}
		catch (IOException | OperatorCreationException | GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to encode private key", ex);
		}
	}

	/**
	 * Return the key as BouncyCastle's, whose SEC1 form names its curve as OpenSSL's
	 * does; the JDK's keeps the curve only in the PKCS#8 wrapper.
	 * @param key the JDK's key
	 * @return the same key from BouncyCastle's provider
	 */
	private static PrivateKey withEmbeddedParameters(PrivateKey key) throws GeneralSecurityException {
		return KeyFactory.getInstance(key.getAlgorithm(), BouncyCastle.PROVIDER)
			.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
	}

	/**
	 * Write the certificate chain as PEM.
	 * @param path the file to write
	 * @return the path
	 */
	public Path writeCertificate(Path path) {
		return write(path, certificatePem());
	}

	/**
	 * Write the private key as unencrypted PKCS#8 PEM, readable by the owner only where
	 * the file system has POSIX permissions.
	 * @param path the file to write
	 * @return the path
	 */
	public Path writePrivateKey(Path path) {
		try {
			return Files.writeString(createOwnerOnly(path), privateKeyPem());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to write " + path, ex);
		}
	}

	/**
	 * Write the key and chain to a key store.
	 * @param path the file to write
	 * @param type the key store type, {@code PKCS12} or {@code JKS}
	 * @param alias the key entry's alias
	 * @param password the store and key password
	 * @return the path
	 */
	public Path writeKeyStore(Path path, String type, String alias, String password) {
		KeyStore store = toKeyStore(type, alias, password);
		try (OutputStream out = Files.newOutputStream(createOwnerOnly(path))) {
			store.store(out, password.toCharArray());
			return path;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to write key store " + path, ex);
		}
	}

	/**
	 * Return an in-memory key store holding the key and chain.
	 * @param type the key store type, {@code PKCS12} or {@code JKS}
	 * @param alias the key entry's alias
	 * @param password the key's password
	 * @return the key store
	 */
	public KeyStore toKeyStore(String type, String alias, String password) {
		try {
			KeyStore store = KeyStore.getInstance(type);
			store.load(null, null);
			store.setKeyEntry(alias, getPrivateKey(), password.toCharArray(),
					this.chain.toArray(X509Certificate[]::new));
			return store;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to create a " + type + " key store", ex);
		}
	}

	/**
	 * Create an empty file readable by its owner only (where the file system has POSIX
	 * permissions), so that key material is never readable by others, even briefly.
	 * @param path the file to create, replaced if it exists
	 * @return the path
	 */
	private static Path createOwnerOnly(Path path) throws IOException {
		Files.deleteIfExists(path);
		if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			return Files.createFile(path,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		return Files.createFile(path);
	}

	private static Path write(Path path, String content) {
		try {
			Files.writeString(path, content);
			return path;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to write " + path, ex);
		}
	}

	private static String pem(Object... objects) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			for (Object object : objects) {
				if (object instanceof PemObjectGenerator generator) {
					writer.writeObject(generator);
				}
				else {
					writer.writeObject(object);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	@Override
	public String toString() {
		return "IssuedCertificate[" + CertificateText.escape(getCertificate().getSubjectX500Principal().getName())
				+ "]";
	}

	/**
	 * BouncyCastle's JCA provider, never registered JVM-wide, built on first use: only
	 * encrypted or traditional key formats need it, and building it loads some 500
	 * classes (about 90 ms of a cold test context), which minting does not need.
	 */
	private static final class BouncyCastle {

		static final Provider PROVIDER = new BouncyCastleProvider();

	}

	/**
	 * PEM encodings of a private key.
	 */
	public enum KeyFormat {

		/**
		 * PKCS#8 ({@code PRIVATE KEY} or {@code ENCRYPTED PRIVATE KEY}).
		 */
		PKCS8,

		/**
		 * OpenSSL's traditional format: PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
		 * ({@code EC PRIVATE KEY}), encrypted with a {@code Proc-Type} header.
		 */
		TRADITIONAL

	}

}
