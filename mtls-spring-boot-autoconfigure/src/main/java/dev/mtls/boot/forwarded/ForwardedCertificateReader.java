package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.mtls.boot.identity.AttestedCertificate;
import org.jspecify.annotations.Nullable;

/**
 * Reads the client certificate chain that a proxy forwarded in a request's headers.
 */
interface ForwardedCertificateReader {

	/**
	 * Return the headers this reader reads: the ones a peer that is not a trusted proxy
	 * must not get to the application.
	 * @return the header names
	 */
	List<String> headers();

	/**
	 * Read the forwarded chain.
	 * @param headers the request's headers
	 * @return the chain, leaf first; empty if the proxy forwarded no certificate
	 * @throws MalformedForwardedCertificateException if a header does not hold a
	 * certificate in the format
	 */
	List<X509Certificate> read(HeaderValues headers) throws MalformedForwardedCertificateException;

	/**
	 * Read the forwarded chain with the chains of the farther proxies it came through.
	 * @param headers the request's headers
	 * @return the chain and the farther proxies' chains
	 * @throws MalformedForwardedCertificateException if a header does not hold a
	 * certificate in the format
	 */
	default ForwardedChain readForwarded(HeaderValues headers) throws MalformedForwardedCertificateException {
		return new ForwardedChain(read(headers), List.of());
	}

	/**
	 * Create the reader of a format.
	 * @param format the format
	 * @param headers the header names, the format's own if empty
	 * @param encoding the encoding of a {@link ForwardedCertificateFormat#HEADER} header
	 * @param hop which XFCC element to read, 1 for the nearest proxy's
	 * @return the reader
	 */
	static ForwardedCertificateReader of(ForwardedCertificateFormat format, List<String> headers,
			@Nullable ForwardedCertificateEncoding encoding, int hop) {
		List<String> names = headers.isEmpty() ? format.getDefaultHeaders() : headers;
		return switch (format) {
			case XFCC -> new XfccReader(names.get(0), hop, false);
			case RFC9440 -> new Rfc9440Reader(names.get(0), (names.size() > 1) ? names.get(1) : null);
			case NGINX, ALB -> new EncodedHeaderReader(names, ForwardedCertificateEncoding.URL_PEM, true);
			case TRAEFIK -> new EncodedHeaderReader(names, null, false);
			case HEADER -> new EncodedHeaderReader(names,
					(encoding != null) ? encoding : ForwardedCertificateEncoding.URL_PEM, false);
		};
	}

	/**
	 * The one value of a header that must not be repeated, stripped; empty when absent.
	 * @param headers the request's headers
	 * @param name the header
	 * @return the value
	 * @throws MalformedForwardedCertificateException if the header is repeated or too
	 * long
	 */
	static String single(HeaderValues headers, String name) throws MalformedForwardedCertificateException {
		List<String> values = headers.get(name);
		if (values.isEmpty()) {
			return "";
		}
		if (values.size() > 1) {
			throw new MalformedForwardedCertificateException(name + " sent " + values.size() + " times");
		}
		return bounded(name, values.get(0)).strip();
	}

	/**
	 * Check the length of a header's value.
	 * @param name the header
	 * @param value its value
	 * @return the value
	 * @throws MalformedForwardedCertificateException if it is too long
	 */
	static String bounded(String name, String value) throws MalformedForwardedCertificateException {
		if (value.length() > CertificateDecoding.MAX_HEADER_CHARACTERS) {
			throw new MalformedForwardedCertificateException(
					name + ": longer than " + CertificateDecoding.MAX_HEADER_CHARACTERS + " characters");
		}
		return value;
	}

	/**
	 * A forwarded chain, and the chains of the proxies farther than the direct peer that
	 * it came through, nearest first: each must be a trusted proxy's.
	 *
	 * @param chain the client's chain, leaf first; empty if no certificate was forwarded
	 * @param fartherProxies the chains of the farther proxies, nearest first
	 * @param attested what the proxy attested of a certificate it did not forward, where
	 * its verification is trusted
	 */
	record ForwardedChain(List<X509Certificate> chain, List<List<X509Certificate>> fartherProxies,
			@Nullable AttestedCertificate attested) {

		public ForwardedChain {
			chain = List.copyOf(chain);
			fartherProxies = List.copyOf(fartherProxies);
		}

		ForwardedChain(List<X509Certificate> chain, List<List<X509Certificate>> fartherProxies) {
			this(chain, fartherProxies, null);
		}

	}

}
