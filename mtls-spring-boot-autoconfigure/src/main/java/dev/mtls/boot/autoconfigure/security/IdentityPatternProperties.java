package dev.mtls.boot.autoconfigure.security;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.identity.InvalidIdentityPatternException;

/**
 * Identity patterns in properties ({@code mtls.authorization.rules[n].allow},
 * {@code mtls.management.roles}).
 *
 * @since 0.1.0
 */
public final class IdentityPatternProperties {

	private IdentityPatternProperties() {
	}

	/**
	 * Parse an identity pattern of a property, failing start-up with a description of the
	 * pattern language that names the property.
	 * @param property the property's name, such as {@code mtls.management.roles[0]}
	 * @param value its value
	 * @return the pattern
	 */
	public static IdentityPattern parse(String property, String value) {
		try {
			return IdentityPattern.parse(value);
		}
		catch (InvalidIdentityPatternException ex) {
			throw new MtlsConfigurationException(property, value, "not an identity pattern: " + ex.getReason(), "Write "
					+ property
					+ " as '*', a DN such as 'CN=ops,O=Acme', 'cn:<glob>', 'spiffe://<trust domain>/<path>', "
					+ "'dns:<host>', 'uri:', 'email:', 'ip:<address or CIDR>', 'issuer:<DN>', 'sha256:<fingerprint>' "
					+ "or 'authority:<name>'.", ex);
		}
	}

}
