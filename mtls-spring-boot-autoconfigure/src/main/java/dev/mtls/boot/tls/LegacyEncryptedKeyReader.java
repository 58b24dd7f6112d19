package dev.mtls.boot.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;

/**
 * Decrypts OpenSSL "traditional" encrypted PEM keys ({@code Proc-Type: 4,ENCRYPTED},
 * PKCS#1 or SEC1) with BouncyCastle; Spring Boot reads only encrypted PKCS#8.
 */
final class LegacyEncryptedKeyReader {

	// Used for decryption only, never registered JVM-wide.
	private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

	private LegacyEncryptedKeyReader() {
	}

	static PrivateKey read(String pem, String password) throws IOException {
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			Object object = parser.readObject();
			if (!(object instanceof PEMEncryptedKeyPair encrypted)) {
				throw new IOException("not an OpenSSL encrypted key pair");
			}
			PrivateKeyInfo keyInfo = encrypted
				.decryptKeyPair(
						new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password.toCharArray()))
				.getPrivateKeyInfo();
			// Re-encode as PKCS#8 with the curve in the algorithm identifier, for the
			// JDK's key factories.
			PrivateKey key = new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE).getPrivateKey(keyInfo);
			String algorithm = "ECDSA".equals(key.getAlgorithm()) ? "EC" : key.getAlgorithm();
			return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("unable to convert the decrypted key: " + ex.getMessage(), ex);
		}
	}

}
