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
	XFCC(List.of("x-forwarded-client-cert"), List.of()),

	/**
	 * RFC 9440: {@code Client-Cert} and {@code Client-Cert-Chain}, structured-field byte
	 * sequences of DER certificates.
	 */
	RFC9440(List.of("Client-Cert", "Client-Cert-Chain"), List.of()),

	/**
	 * ingress-nginx's {@code ssl-client-cert}: URL-encoded PEM, from nginx's
	 * {@code $ssl_client_escaped_cert}.
	 */
	NGINX(List.of("ssl-client-cert"), List.of("ssl-client-verify", "ssl-client-subject-dn", "ssl-client-issuer-dn")),

	/**
	 * AWS Application Load Balancer: {@code X-Amzn-Mtls-Clientcert-Leaf} (verify mode,
	 * the leaf) or {@code X-Amzn-Mtls-Clientcert} (passthrough, the whole chain),
	 * URL-encoded PEM.
	 */
	ALB(List.of("X-Amzn-Mtls-Clientcert-Leaf", "X-Amzn-Mtls-Clientcert"),
			List.of("X-Amzn-Mtls-Clientcert-Subject", "X-Amzn-Mtls-Clientcert-Issuer",
					"X-Amzn-Mtls-Clientcert-Serial-Number", "X-Amzn-Mtls-Clientcert-Validity")),

	/**
	 * Traefik's {@code X-Forwarded-Tls-Client-Cert}: the certificates' base64 DER
	 * separated by commas, URL-encoded or not.
	 */
	TRAEFIK(List.of("X-Forwarded-Tls-Client-Cert"), List.of("X-Forwarded-Tls-Client-Cert-Info")),

	/**
	 * A header the application names, in the encoding it names.
	 */
	HEADER(List.of(), List.of());

	private final List<String> headers;

	private final List<String> companionHeaders;

	ForwardedCertificateFormat(List<String> headers, List<String> companionHeaders) {
		this.headers = headers;
		this.companionHeaders = companionHeaders;
	}

	/**
	 * Return the other headers the proxy sets about the client's certificate (subject,
	 * verification result), which are not read but, like the certificate's, removed from
	 * the requests of peers that are not trusted proxies.
	 * @return the header names
	 */
	public List<String> getCompanionHeaders() {
		return this.companionHeaders;
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
