package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 9440's {@code Client-Cert} (the leaf, a structured-field byte sequence of its
 * DER) and {@code Client-Cert-Chain} (a list of byte sequences: the rest of the chain).
 */
final class Rfc9440Reader implements ForwardedCertificateReader {

	private final String certificateHeader;

	private final @Nullable String chainHeader;

	Rfc9440Reader(String certificateHeader, @Nullable String chainHeader) {
		this.certificateHeader = certificateHeader;
		this.chainHeader = chainHeader;
	}

	@Override
	public List<String> headers() {
		return (this.chainHeader != null) ? List.of(this.certificateHeader, this.chainHeader)
				: List.of(this.certificateHeader);
	}

	@Override
	public List<X509Certificate> read(HeaderValues headers) throws MalformedForwardedCertificateException {
		String leaf = ForwardedCertificateReader.single(headers, this.certificateHeader);
		if (leaf.equals("::")) {
			// An empty byte sequence: a proxy that writes the field for every request.
			leaf = "";
		}
		List<String> rest = (this.chainHeader != null) ? headers.get(this.chainHeader) : List.of();
		if (leaf.isEmpty()) {
			if (!String.join("", rest).isBlank()) {
				throw new MalformedForwardedCertificateException(
						this.chainHeader + " without " + this.certificateHeader);
			}
			return List.of();
		}
		List<X509Certificate> chain = new ArrayList<>();
		chain.add(byteSequence(this.certificateHeader, leaf));
		String chainHeader = (this.chainHeader != null) ? this.chainHeader : "";
		int length = leaf.length();
		for (String value : rest) {
			length += value.length();
			if (length > CertificateDecoding.MAX_HEADER_CHARACTERS) {
				throw new MalformedForwardedCertificateException(this.certificateHeader + " and " + chainHeader
						+ " are longer than " + CertificateDecoding.MAX_HEADER_CHARACTERS + " characters");
			}
			if (value.isBlank()) {
				continue;
			}
			for (String member : value.split(",", -1)) {
				if (chain.size() == CertificateDecoding.MAX_CERTIFICATES) {
					throw new MalformedForwardedCertificateException(
							"more than " + CertificateDecoding.MAX_CERTIFICATES + " certificates in the chain");
				}
				chain.add(byteSequence(chainHeader, member.strip()));
			}
		}
		return chain;
	}

	// A byte sequence (':' base64 ':', RFC 8941) holding a DER certificate.
	private static X509Certificate byteSequence(String header, String item)
			throws MalformedForwardedCertificateException {
		if (item.length() < 2 || item.charAt(0) != ':' || item.charAt(item.length() - 1) != ':') {
			throw new MalformedForwardedCertificateException(
					header + ": not a structured-field byte sequence (':' base64 ':')");
		}
		try {
			return CertificateDecoding.der(CertificateDecoding.base64(item.substring(1, item.length() - 1)));
		}
		catch (MalformedForwardedCertificateException ex) {
			throw new MalformedForwardedCertificateException(header + ": " + ex.getMessage());
		}
	}

}
