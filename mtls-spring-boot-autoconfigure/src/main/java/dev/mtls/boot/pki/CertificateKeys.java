package dev.mtls.boot.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The key pairs the dev CA mints, EC P-256 unless an RSA size is asked for, and the
 * signature algorithm each signs with.
 */
final class CertificateKeys {

	private CertificateKeys() {
	}

	/**
	 * Generate a key pair.
	 * @param rsaKeySize the RSA key size, or 0 for EC P-256
	 * @return the key pair
	 * @throws GeneralSecurityException if the JDK cannot generate it
	 */
	static KeyPair generate(int rsaKeySize) throws GeneralSecurityException {
		if (rsaKeySize > 0) {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(rsaKeySize);
			return generator.generateKeyPair();
		}
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	/**
	 * Return the SHA-256 signature algorithm for a signer's key.
	 * @param signer the signing key pair
	 * @return {@code SHA256withRSA} or {@code SHA256withECDSA}
	 */
	static String signatureAlgorithm(KeyPair signer) {
		return "RSA".equals(signer.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
	}

}
