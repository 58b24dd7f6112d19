package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.config.MtlsConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Fails start-up, naming the property and the dependency to add, when a feature that
 * needs BouncyCastle is on and BouncyCastle is missing, rather than letting the feature
 * be skipped or fail later.
 */
final class BouncyCastleRequirement {

	/**
	 * The class dev mode mints certificates with.
	 */
	static final String CERTIFICATE_BUILDER_CLASS = "org.bouncycastle.cert.X509v3CertificateBuilder";

	private BouncyCastleRequirement() {
	}

	/**
	 * Check the features the properties turn on against the application's class path.
	 * @param properties the mTLS properties
	 * @param classLoader the application's class loader
	 * @throws MtlsConfigurationException if a feature needs BouncyCastle and it is
	 * missing
	 */
	static void check(MtlsProperties properties, @Nullable ClassLoader classLoader) {
		properties.getPolicy().toCertificatePolicy().requireSupport(classLoader);
		if (DevMode.isActive(properties) && !ClassUtils.isPresent(CERTIFICATE_BUILDER_CLASS, classLoader)) {
			throw new MtlsConfigurationException("mtls.dev.enabled", "true",
					"dev mode mints its certificates with BouncyCastle, which is not on the class path",
					"Add the dependency org.bouncycastle:bcpkix-jdk18on (the starter brings it: look for an exclusion), "
							+ "or configure mtls.identity and mtls.trust instead of dev mode.");
		}
	}

}
