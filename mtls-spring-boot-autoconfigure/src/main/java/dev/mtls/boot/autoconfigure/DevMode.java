package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;

import org.springframework.core.env.Environment;

/**
 * Where dev mode keeps its certificates.
 */
final class DevMode {

	private DevMode() {
	}

	/**
	 * Whether dev mode mints the identity and trust: it is enabled, and neither
	 * {@code mtls.bundle} nor {@code mtls.identity}/{@code mtls.trust} are set.
	 * @param properties the mTLS properties
	 * @return whether dev certificates are in use
	 */
	static boolean isActive(MtlsProperties properties) {
		return properties.getDev().isEnabled() && properties.getBundle() == null
				&& !properties.getIdentity().isConfigured() && !properties.getTrust().isConfigured();
	}

	/**
	 * Return the dev certificate directory: {@code mtls.dev.directory}, or
	 * {@code ${java.io.tmpdir}/mtls-dev-<user.name>/<spring.application.name>}, one per
	 * user so that users of a shared host do not meet in one directory (letters, digits,
	 * dots, hyphens and underscores of the user name are kept, anything else becomes
	 * {@code _}).
	 * @param dev the dev mode properties
	 * @param environment the environment, for the application name
	 * @return the directory
	 */
	static Path directory(MtlsProperties.Dev dev, Environment environment) {
		if (dev.getDirectory() != null) {
			return Path.of(dev.getDirectory());
		}
		String application = environment.getProperty("spring.application.name", "application");
		String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
		return Path.of(System.getProperty("java.io.tmpdir"), "mtls-dev-" + user, application);
	}

}
