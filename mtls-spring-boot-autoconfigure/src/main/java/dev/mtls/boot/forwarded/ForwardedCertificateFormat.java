package dev.mtls.boot.forwarded;

import java.util.List;

/**
 * The header format a TLS-terminating proxy forwards client certificates in.
 *
 * @since 0.1.0
 */
public enum ForwardedCertificateFormat {

	/**
	 * Envoy's and Istio's {@code x-forwarded-client-cert}: one element per hop, the
	 * certificate in its {@code Cert} or {@code Chain} key as URL-encoded PEM.
	 */
	XFCC("x-forwarded-client-cert"),

	/**
	 * RFC 9440: {@code Client-Cert} and {@code Client-Cert-Chain}, structured-field byte
	 * sequences of DER certificates.
	 */
	RFC9440("Client-Cert", "Client-Cert-Chain"),

	/**
	 * ingress-nginx's {@code ssl-client-cert}: URL-encoded PEM, from nginx's
	 * {@code $ssl_client_escaped_cert}.
	 */
	NGINX("ssl-client-cert"),

	/**
	 * AWS Application Load Balancer: {@code X-Amzn-Mtls-Clientcert-Leaf} (verify mode,
	 * the leaf) or {@code X-Amzn-Mtls-Clientcert} (passthrough, the whole chain),
	 * URL-encoded PEM.
	 */
	ALB("X-Amzn-Mtls-Clientcert-Leaf", "X-Amzn-Mtls-Clientcert"),

	/**
	 * Traefik's {@code X-Forwarded-Tls-Client-Cert}: the certificates' base64 DER
	 * separated by commas, URL-encoded or not.
	 */
	TRAEFIK("X-Forwarded-Tls-Client-Cert"),

	/**
	 * A header the application names, in the encoding it names.
	 */
	HEADER;

	private final List<String> headers;

	ForwardedCertificateFormat(String... headers) {
		this.headers = List.of(headers);
	}

	/**
	 * Return the headers the format is read from, the certificate's first; none for
	 * {@link #HEADER}.
	 * @return the header names
	 */
	public List<String> getDefaultHeaders() {
		return this.headers;
	}

}
