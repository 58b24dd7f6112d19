package dev.mtls.boot.tls;

import java.io.File;

import dev.mtls.boot.config.MtlsConfigurationException;

/**
 * The failure of a certificate, key, store or CRL location that names nothing.
 */
final class MissingLocation {

	private MissingLocation() {
	}

	/**
	 * Return the failure for a location that does not exist.
	 * @param property the property naming the location
	 * @param location the location as configured
	 * @param displayValue the location as the failure shows it
	 * @param action what to do otherwise
	 * @return the failure
	 */
	static MtlsConfigurationException of(String property, String location, String displayValue, String action) {
		// A location without a prefix is a class path resource, as in the rest of Spring:
		// an existing file of that path is not read.
		if (!hasPrefix(location) && new File(location).exists()) {
			return new MtlsConfigurationException(property, displayValue,
					"there is no class path resource '%s'; a location without a prefix is one".formatted(displayValue),
					"Write file:%s to read that file.".formatted(displayValue));
		}
		return new MtlsConfigurationException(property, displayValue, "the file does not exist", action);
	}

	private static boolean hasPrefix(String location) {
		int colon = location.indexOf(':');
		int slash = location.indexOf('/');
		return colon > 0 && (slash < 0 || colon < slash);
	}

}
