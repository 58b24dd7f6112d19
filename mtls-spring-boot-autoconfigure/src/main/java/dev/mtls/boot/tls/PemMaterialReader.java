package dev.mtls.boot.tls;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.CertificateText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import org.springframework.util.StreamUtils;

/**
 * Reads PEM certificates and private keys from locations or inline text, through Spring
 * Boot's {@link PemContent}; every problem becomes an {@link MtlsConfigurationException}
 * naming the property.
 */
final class PemMaterialReader {

	private static final Log logger = LogFactory.getLog(PemMaterialReader.class);

	private static final String BOUNCY_CASTLE_PEM_PARSER = "org.bouncycastle.openssl.PEMParser";

	private final ResourceLoader resourceLoader;

	PemMaterialReader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	/**
	 * Read the CA certificates of a PEM location, inline text or directory (every
	 * {@code *.pem} and {@code *.crt} in it; leaf certificates there are skipped).
	 * @param property the property that holds the value, named in errors
	 * @param value the location or PEM text
	 * @return the certificates
	 */
	List<X509Certificate> readTrustedCertificates(String property, String value) {
		if (!PemContent.isPresentInText(value)) {
			Resource resource = this.resourceLoader.getResource(value);
			File directory = directory(resource);
			if (directory != null) {
				File[] files = directory.listFiles((dir, name) -> name.endsWith(".pem") || name.endsWith(".crt"));
				List<X509Certificate> certificates = new ArrayList<>();
				if (files != null) {
					Arrays.sort(files);
					for (File file : files) {
						for (X509Certificate certificate : readCertificates(property,
								"file:" + file.getAbsolutePath())) {
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
					throw TlsMaterialLoader.emptyTrust(property, value,
							"the directory holds no '*.pem' or '*.crt' certificate");
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

	List<X509Certificate> readCertificates(String property, String value) {
		String text = readPem(property, value);
		try {
			return PemContent.of(text).getCertificates();
		}
		catch (RuntimeException ex) {
			throw new MtlsConfigurationException(property, MtlsConfigurationException.displayValue(value),
					"no X.509 certificate could be read from it: " + TlsMaterialLoader.rootMessage(ex),
					"Point " + property + " at a PEM file holding '-----BEGIN CERTIFICATE-----' blocks.", ex);
		}
	}

	PrivateKey readPrivateKey(String property, String value, @Nullable String password) {
		String text = readPem(property, value);
		String display = MtlsConfigurationException.displayValue(value);
		boolean encrypted = text.contains("ENCRYPTED");
		String passwordProperty = TlsMaterialLoader.IDENTITY + ".private-key-password";
		if (encrypted && password == null) {
			throw new MtlsConfigurationException(property, display,
					"the private key is encrypted and no password is set",
					"Set " + passwordProperty + " to the key's password.");
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
				throw new MtlsConfigurationException(passwordProperty, null,
						"the private key in '%s' cannot be decrypted with it: %s".formatted(display,
								TlsMaterialLoader.rootMessage(ex)),
						"Set " + passwordProperty + " to the password the key was encrypted with.", ex);
			}
			throw new MtlsConfigurationException(property, display,
					"the private key cannot be read: " + TlsMaterialLoader.rootMessage(ex),
					"Point " + property + " at a PEM private key (PKCS#8, PKCS#1 or SEC1).", ex);
		}
	}

	/**
	 * Read an OpenSSL "traditional" encrypted key ({@code Proc-Type: 4,ENCRYPTED}), which
	 * Spring Boot does not parse, with BouncyCastle.
	 * @param text the PEM text
	 * @param password the key's password, or {@code null} for none
	 * @return the private key
	 */
	private static PrivateKey readLegacyEncrypted(String text, @Nullable String password) throws IOException {
		if (!ClassUtils.isPresent(BOUNCY_CASTLE_PEM_PARSER, PemMaterialReader.class.getClassLoader())) {
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
			throw MissingLocation.of(property, value, display,
					"Point " + property + " at an existing, readable PEM file (for example file:/etc/mtls/tls.crt) "
							+ "or put the PEM text inline.");
		}
		String text;
		try (InputStream in = resource.getInputStream()) {
			text = StreamUtils.copyToString(in, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new MtlsConfigurationException(property, display,
					"the file cannot be read: " + TlsMaterialLoader.rootMessage(ex),
					"Make " + display + " readable by the user running the application.", ex);
		}
		if (!PemContent.isPresentInText(text)) {
			throw new MtlsConfigurationException(property, display,
					"the file is not PEM: no '-----BEGIN ...-----' block",
					"Point " + property + " at a PEM file. Convert DER files with 'openssl x509 -inform der' "
							+ "or 'openssl pkey -inform der'.");
		}
		return text;
	}

}
