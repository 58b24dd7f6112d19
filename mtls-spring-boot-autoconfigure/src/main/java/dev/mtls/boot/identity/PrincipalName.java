package dev.mtls.boot.identity;

/**
 * The certificate attribute that names the principal ({@code mtls.principal.name}).
 *
 * @since 0.1.0
 */
public enum PrincipalName {

	/**
	 * The subject's common name.
	 */
	CN("subject common name"),

	/**
	 * The whole subject DN, in RFC 2253 form.
	 */
	SUBJECT("subject"),

	/**
	 * The SPIFFE ID: the certificate's only {@code spiffe://} URI SAN.
	 */
	SPIFFE_ID("SPIFFE ID"),

	/**
	 * The first DNS SAN.
	 */
	DNS("DNS subject alternative name"),

	/**
	 * The first URI SAN.
	 */
	URI("URI subject alternative name"),

	/**
	 * The first e-mail SAN.
	 */
	EMAIL("e-mail subject alternative name");

	private final String attribute;

	PrincipalName(String attribute) {
		this.attribute = attribute;
	}

	String attribute() {
		return this.attribute;
	}

}
