package dev.mtls.boot.autoconfigure;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;

import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;

/**
 * Decrypts OpenSSL "traditional" encrypted PEM keys ({@code Proc-Type: 4,ENCRYPTED},
 * PKCS#1 or SEC1) with BouncyCastle; Spring Boot reads only encrypted PKCS#8.
 */
final class LegacyEncryptedKeyReader {

	private LegacyEncryptedKeyReader() {
	}

	static PrivateKey read(String pem, String password) throws IOException {
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			Object object = parser.readObject();
			if (!(object instanceof PEMEncryptedKeyPair encrypted)) {
				throw new IOException("not an OpenSSL encrypted key pair");
			}
			return new JcaPEMKeyConverter()
				.getPrivateKey(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().build(password.toCharArray()))
					.getPrivateKeyInfo());
		}
	}

}
