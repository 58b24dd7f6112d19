package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.identity.CertificateFingerprint;
import org.jspecify.annotations.Nullable;

/**
 * Reads Envoy's {@code x-forwarded-client-cert}: elements separated by commas, one per
 * proxy that appended its client's certificate (the nearest proxy's last), each a list of
 * {@code key=value} pairs separated by semicolons; a value holding {@code , ; =} is
 * double-quoted, with {@code \"} for a quote. The chain comes from {@code Chain}
 * (URL-encoded PEM, leaf first) or {@code Cert} (the leaf); {@code Hash}, where present,
 * must be the leaf's SHA-256. An element with neither {@code Cert} nor {@code Chain}
 * (only a hash, a subject or names) is refused: those cannot be validated.
 */
final class XfccReader implements ForwardedCertificateReader {

	/**
	 * The most elements (hops) a header may hold.
	 */
	static final int MAX_ELEMENTS = 32;

	private final String header;

	private final int hop;

	XfccReader(String header, int hop) {
		this.header = header;
		this.hop = hop;
	}

	@Override
	public List<String> headers() {
		return List.of(this.header);
	}

	@Override
	public List<X509Certificate> read(HeaderValues headers) throws MalformedForwardedCertificateException {
		return readForwarded(headers).chain();
	}

	/**
	 * Read the element of the configured hop; with a hop farther than the nearest, also
	 * the elements nearer than it, which describe the farther proxies: each must carry a
	 * certificate to check that proxy by.
	 */
	@Override
	public ForwardedChain readForwarded(HeaderValues headers) throws MalformedForwardedCertificateException {
		List<String> values = headers.get(this.header);
		// Repeated fields are one comma-separated list (RFC 9110).
		String value = ForwardedCertificateReader.bounded(this.header, String.join(",", values)).strip();
		if (value.isEmpty()) {
			return new ForwardedChain(List.of(), List.of());
		}
		try {
			List<String> elements = split(value, ',');
			if (elements.size() > MAX_ELEMENTS) {
				throw new MalformedForwardedCertificateException("more than " + MAX_ELEMENTS + " elements");
			}
			if (elements.size() < this.hop) {
				// The farther proxy forwarded no certificate for its client, or the
				// client called a nearer proxy itself.
				return new ForwardedChain(List.of(), List.of());
			}
			List<List<X509Certificate>> fartherProxies = new ArrayList<>();
			for (int hop = 1; hop < this.hop; hop++) {
				fartherProxies.add(chain(elements.get(elements.size() - hop)));
			}
			return new ForwardedChain(chain(elements.get(elements.size() - this.hop)), fartherProxies);
		}
		catch (MalformedForwardedCertificateException ex) {
			throw new MalformedForwardedCertificateException(this.header + ": " + ex.getMessage());
		}
	}

	private static List<X509Certificate> chain(String element) throws MalformedForwardedCertificateException {
		String cert = null;
		String chain = null;
		String hash = null;
		for (String pair : split(element, ';')) {
			int equals = indexOfUnquoted(pair, '=');
			if (equals <= 0) {
				throw new MalformedForwardedCertificateException("'" + abbreviate(pair) + "' is not key=value");
			}
			String key = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
			String value = unquote(pair.substring(equals + 1).strip());
			switch (key) {
				case "cert" -> cert = once(key, cert, value);
				case "chain" -> chain = once(key, chain, value);
				case "hash" -> hash = once(key, hash, value);
				default -> {
					// By, Subject, URI, DNS: the certificate itself says it.
				}
			}
		}
		if (cert == null && chain == null) {
			throw new MalformedForwardedCertificateException(
					"the element has no Cert or Chain, so the certificate cannot be validated (Envoy: set_current_client_cert_details cert: true)");
		}
		List<X509Certificate> certificates = (chain != null)
				? CertificateDecoding.pem(CertificateDecoding.percentDecode(chain)) : List.of();
		if (cert != null) {
			List<X509Certificate> leaf = CertificateDecoding.pem(CertificateDecoding.percentDecode(cert));
			if (leaf.size() != 1) {
				throw new MalformedForwardedCertificateException("Cert holds " + leaf.size() + " certificates");
			}
			if (!certificates.isEmpty() && !certificates.get(0).equals(leaf.get(0))) {
				throw new MalformedForwardedCertificateException("Cert is not the first certificate of Chain");
			}
			if (certificates.isEmpty()) {
				certificates = leaf;
			}
		}
		if (hash != null && !hash.equalsIgnoreCase(CertificateFingerprint.sha256(certificates.get(0)))) {
			throw new MalformedForwardedCertificateException("Hash is not the SHA-256 of the certificate");
		}
		return certificates;
	}

	private static String once(String key, @Nullable String current, String value)
			throws MalformedForwardedCertificateException {
		if (current != null) {
			throw new MalformedForwardedCertificateException("the element has two " + key + " keys");
		}
		return value;
	}

	/**
	 * Split at a separator that is not inside a quoted value, in one pass.
	 * @param text the text
	 * @param separator the separator
	 * @return the parts, empty ones included
	 * @throws MalformedForwardedCertificateException if a quoted value is not closed
	 */
	static List<String> split(String text, char separator) throws MalformedForwardedCertificateException {
		List<String> parts = new ArrayList<>();
		boolean quoted = false;
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted && c == '\\') {
				i++;
			}
			else if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && c == separator) {
				parts.add(text.substring(start, i));
				start = i + 1;
			}
		}
		if (quoted) {
			throw new MalformedForwardedCertificateException("a quoted value is not closed");
		}
		parts.add(text.substring(start));
		return parts;
	}

	private static int indexOfUnquoted(String text, char wanted) throws MalformedForwardedCertificateException {
		boolean quoted = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted && c == '\\') {
				i++;
			}
			else if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && c == wanted) {
				return i;
			}
		}
		if (quoted) {
			throw new MalformedForwardedCertificateException("a quoted value is not closed");
		}
		return -1;
	}

	private static String unquote(String value) throws MalformedForwardedCertificateException {
		if (value.isEmpty() || value.charAt(0) != '"') {
			return value;
		}
		if (value.length() < 2 || value.charAt(value.length() - 1) != '"') {
			throw new MalformedForwardedCertificateException("a quoted value is not closed");
		}
		StringBuilder unquoted = new StringBuilder(value.length());
		for (int i = 1; i < value.length() - 1; i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length() - 1 && value.charAt(i + 1) == '"') {
				c = '"';
				i++;
			}
			unquoted.append(c);
		}
		return unquoted.toString();
	}

	private static String abbreviate(String text) {
		String shown = (text.length() > 40) ? text.substring(0, 40) + "..." : text;
		return shown.replaceAll("[^\\x20-\\x7e]", "?");
	}

}
