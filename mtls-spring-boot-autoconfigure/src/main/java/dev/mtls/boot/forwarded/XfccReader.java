package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.identity.CertificateFingerprint;
import org.jspecify.annotations.Nullable;

/**
 * Reads Envoy's {@code x-forwarded-client-cert}: elements separated by commas, one per
 * proxy that appended its client's certificate (the nearest proxy's last), each a list of
 * {@code key=value} pairs separated by semicolons; a value holding {@code , ; =} is
 * double-quoted, with {@code \"} for a quote. The chain comes from {@code Chain}
 * (URL-encoded PEM, leaf first) or {@code Cert} (the leaf); {@code Hash}, where present,
 * must be the leaf's SHA-256. An element with neither {@code Cert} nor {@code Chain}
 * (only a hash, a subject or names) is refused, as those cannot be validated, unless the
 * proxy's verification is trusted: then its {@code Hash}, {@code Subject}, {@code URI}
 * and {@code DNS} are what the proxy attests of the client's certificate.
 */
final class XfccReader implements ForwardedCertificateReader {

	/**
	 * The most elements (hops) a header may hold.
	 */
	static final int MAX_ELEMENTS = 32;

	private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");

	private final String header;

	private final int hop;

	private final boolean trustProxyVerification;

	XfccReader(String header, int hop, boolean trustProxyVerification) {
		this.header = header;
		this.hop = hop;
		this.trustProxyVerification = trustProxyVerification;
	}

	/**
	 * Return a reader of the same header and hop that reads an element without a
	 * certificate as the proxy's attestation, or refuses it.
	 * @param trustProxyVerification whether the proxy's verification is trusted
	 * @return the reader
	 */
	XfccReader withTrustProxyVerification(boolean trustProxyVerification) {
		return new XfccReader(this.header, this.hop, trustProxyVerification);
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
				// A farther proxy is checked by its certificate, never by what is said
				// of it.
				fartherProxies.add(element(elements.get(elements.size() - hop), false).chain());
			}
			Element element = element(elements.get(elements.size() - this.hop), this.trustProxyVerification);
			if (element.attested() != null && elements.size() != this.hop) {
				// Envoy writes URI and DNS values unquoted: a comma in a client's SAN
				// splits its element, and the part after it would be read as a nearer
				// proxy's. Only a certificate could not be forged that way.
				throw new MalformedForwardedCertificateException(
						"%d elements where mtls.forwarded.hop is %d: an element without Cert or Chain is read only from a header of exactly that many"
							.formatted(elements.size(), this.hop));
			}
			return new ForwardedChain(element.chain(), fartherProxies, element.attested());
		}
		catch (MalformedForwardedCertificateException ex) {
			throw new MalformedForwardedCertificateException(this.header + ": " + ex.getMessage());
		}
	}

	private static Element element(String element, boolean attestedAllowed)
			throws MalformedForwardedCertificateException {
		String cert = null;
		String chain = null;
		String hash = null;
		List<String> subjects = new ArrayList<>();
		List<String> uris = new ArrayList<>();
		List<String> dnsNames = new ArrayList<>();
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
				case "subject" -> subjects.add(value);
				// Envoy writes an empty value for a certificate without such names.
				case "uri" -> addUnlessEmpty(uris, value);
				case "dns" -> addUnlessEmpty(dnsNames, value);
				default -> {
					// By: the proxy's own name, which its connection shows.
				}
			}
		}
		if (cert == null && chain == null) {
			if (!attestedAllowed) {
				throw new MalformedForwardedCertificateException(
						"the element has no Cert or Chain, so the certificate cannot be validated (Envoy: set_current_client_cert_details cert: true; or mtls.forwarded.trust-proxy-verification)");
			}
			return new Element(List.of(), attested(hash, subjects, dnsNames, uris));
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
		return new Element(certificates, null);
	}

	// The Hash is required: Envoy always sends it, and it tells one certificate from
	// another where the subject and names are the same (a renewal).
	// OpenSSL's one-line form of Envoy's documentation (/C=US/CN=x) is not read: a '/'
	// in a value would make it ambiguous, and Envoy writes RFC 2253.
	private static AttestedCertificate attested(@Nullable String hash, List<String> subjects, List<String> dnsNames,
			List<String> uris) throws MalformedForwardedCertificateException {
		if (hash == null) {
			throw new MalformedForwardedCertificateException("the element has no Cert, Chain or Hash");
		}
		if (!HEX_64.matcher(hash).matches()) {
			throw new MalformedForwardedCertificateException("Hash is not a SHA-256 fingerprint");
		}
		if (subjects.size() > 1) {
			throw new MalformedForwardedCertificateException("the element has two subject keys");
		}
		try {
			return new AttestedCertificate(hash, subjects.isEmpty() ? "" : subjects.get(0), dnsNames, uris);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedForwardedCertificateException("Subject is not an RFC 2253 distinguished name");
		}
	}

	private static void addUnlessEmpty(List<String> values, String value) {
		if (!value.isEmpty()) {
			values.add(value);
		}
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

	/**
	 * An element: the chain it carries, or what it attests of a certificate it does not
	 * carry.
	 */
	private record Element(List<X509Certificate> chain, @Nullable AttestedCertificate attested) {
	}

}
