package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads a certificate chain from one header in a plain encoding. Where the format has
 * several headers (ALB's leaf and chain headers), the proxy sends one of them.
 */
final class EncodedHeaderReader implements ForwardedCertificateReader {

	private final List<String> headers;

	private final @Nullable ForwardedCertificateEncoding encoding;

	private final boolean firstHoldsLeafOnly;

	/**
	 * Create a reader.
	 * @param headers the headers, one of which holds the chain
	 * @param encoding the encoding, or {@code null} for Traefik's (base64 DER separated
	 * by commas, URL-encoded or not)
	 * @param firstHoldsLeafOnly whether the first header holds the leaf alone (nginx's
	 * {@code $ssl_client_escaped_cert}, ALB's leaf header), so that two certificates in
	 * it are two leaves
	 */
	EncodedHeaderReader(List<String> headers, @Nullable ForwardedCertificateEncoding encoding,
			boolean firstHoldsLeafOnly) {
		this.headers = List.copyOf(headers);
		this.encoding = encoding;
		this.firstHoldsLeafOnly = firstHoldsLeafOnly;
	}

	@Override
	public List<String> headers() {
		return this.headers;
	}

	@Override
	public List<X509Certificate> read(HeaderValues headers) throws MalformedForwardedCertificateException {
		String present = null;
		String value = "";
		for (String name : this.headers) {
			String candidate = ForwardedCertificateReader.single(headers, name);
			if (!candidate.isEmpty()) {
				if (present != null) {
					throw new MalformedForwardedCertificateException(
							"both " + present + " and " + name + " hold a certificate");
				}
				present = name;
				value = candidate;
			}
		}
		if (present == null) {
			return List.of();
		}
		try {
			List<X509Certificate> chain = decode(value);
			if (this.firstHoldsLeafOnly && present.equals(this.headers.get(0)) && chain.size() > 1) {
				throw new MalformedForwardedCertificateException(
						chain.size() + " certificates where the proxy sends the client's alone");
			}
			return chain;
		}
		catch (MalformedForwardedCertificateException ex) {
			throw new MalformedForwardedCertificateException(present + ": " + ex.getMessage());
		}
	}

	private List<X509Certificate> decode(String value) throws MalformedForwardedCertificateException {
		if (this.encoding == null) {
			return CertificateDecoding.base64DerList(CertificateDecoding.percentDecode(value));
		}
		return switch (this.encoding) {
			case URL_PEM -> CertificateDecoding.pem(CertificateDecoding.percentDecode(value));
			case PEM -> CertificateDecoding.pem(value);
			case BASE64_DER -> CertificateDecoding.base64DerList(value);
		};
	}

}
