package dev.mtls.boot.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.CertificateText;

/**
 * Checks that a loaded identity can be used: its key matches its certificate, which is
 * valid now.
 */
final class IdentityChecks {

	private IdentityChecks() {
	}

	static void checkKeyMatches(PrivateKey key, X509Certificate certificate, String property, String source,
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
			// An RSA key pair shares its modulus: no need for a cold private-key
			// operation.
			return publicKey instanceof RSAPublicKey rsaPublicKey
					&& rsaKey.getModulus().equals(rsaPublicKey.getModulus())
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

	static void checkValidity(X509Certificate certificate, String property) {
		String subject = CertificateText.escape(certificate.getSubjectX500Principal().getName());
		try {
			certificate.checkValidity();
		}
		catch (CertificateExpiredException ex) {
			throw new MtlsConfigurationException(property, null,
					"the identity certificate '%s' expired on %s".formatted(subject,
							certificate.getNotAfter().toInstant()),
					"Renew the certificate, or point " + TlsMaterialLoader.IDENTITY + " at a current one.", ex);
		}
		catch (CertificateNotYetValidException ex) {
			throw new MtlsConfigurationException(property, null,
					"the identity certificate '%s' is not valid before %s".formatted(subject,
							certificate.getNotBefore().toInstant()),
					"Check the system clock, or use a certificate that is valid now.", ex);
		}
	}

}
