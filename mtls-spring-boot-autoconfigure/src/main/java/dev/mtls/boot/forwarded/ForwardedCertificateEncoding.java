package dev.mtls.boot.forwarded;

/**
 * How a generic forwarding header encodes the client certificate, or its chain, leaf
 * first.
 *
 * @since 0.1.0
 */
public enum ForwardedCertificateEncoding {

	/**
	 * URL-encoded PEM, as nginx's {@code $ssl_client_escaped_cert} writes it; a {@code +}
	 * stays a {@code +}.
	 */
	URL_PEM,

	/**
	 * Base64 of the DER certificate, as HAProxy's {@code %[ssl_c_der,base64]} writes it;
	 * several certificates separated by commas.
	 */
	BASE64_DER,

	/**
	 * PEM whose line breaks the proxy replaced by spaces or tabs, since a header cannot
	 * hold them.
	 */
	PEM

}
