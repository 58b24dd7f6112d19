package dev.mtls.boot.forwarded;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * Decodes the certificate encodings that proxies write into headers, with bounds on what
 * a header may make us parse.
 */
final class CertificateDecoding {

	/**
	 * The most certificates one forwarded chain may hold.
	 */
	static final int MAX_CERTIFICATES = 10;

	/**
	 * The most characters the forwarding headers of one request may hold.
	 */
	static final int MAX_HEADER_CHARACTERS = 64 * 1024;

	private static final Pattern PEM_BEGIN = Pattern.compile("-BEGIN\\s", Pattern.CASE_INSENSITIVE);

	private static final Pattern HORIZONTAL_SPACE = Pattern.compile("[ \\t]+");

	private static final byte DER_SEQUENCE = 0x30;

	/**
	 * The longest line PEM text may have: writers wrap base64 at 64 or 76 characters.
	 */
	private static final int MAX_PEM_LINE = 128;

	/**
	 * The longest run of dashes ({@code -----BEGIN}) or blank characters ({@code \r\n})
	 * PEM text may have.
	 */
	private static final int MAX_RUN = 8;

	private CertificateDecoding() {
	}

	/**
	 * Decode URL-encoded text: {@code %XX} escapes become their byte, and every other
	 * character stays as it is, {@code +} included (base64 uses it, and proxies leave it
	 * unescaped).
	 * @param text the encoded text
	 * @return the decoded ASCII text
	 * @throws MalformedForwardedCertificateException if an escape is broken or the text
	 * is not ASCII
	 */
	static String percentDecode(String text) throws MalformedForwardedCertificateException {
		if (text.indexOf('%') < 0) {
			return ascii(text);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%') {
				int high = (i + 2 < text.length()) ? Character.digit(text.charAt(i + 1), 16) : -1;
				int low = (high >= 0) ? Character.digit(text.charAt(i + 2), 16) : -1;
				if (low < 0) {
					throw new MalformedForwardedCertificateException(
							"broken URL encoding at character " + (i + 1) + ": '%' needs two hexadecimal digits");
				}
				out.write((high << 4) | low);
				i += 2;
			}
			else {
				out.write(c);
			}
		}
		return ascii(new String(out.toByteArray(), StandardCharsets.ISO_8859_1));
	}

	private static String ascii(String text) throws MalformedForwardedCertificateException {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) > 0x7e) {
				throw new MalformedForwardedCertificateException(
						"not a certificate encoding: character " + (i + 1) + " is not ASCII");
			}
		}
		return text;
	}

	/**
	 * Read the certificates of PEM text, every one of them: a block that does not parse,
	 * or one cut short, refuses the whole text.
	 * @param text the PEM text, line breaks possibly replaced by spaces or tabs
	 * @return the certificates, in order
	 * @throws MalformedForwardedCertificateException if the text holds no certificate, a
	 * broken one, or too many
	 */
	static List<X509Certificate> pem(String text) throws MalformedForwardedCertificateException {
		// PemContent takes any white space between BEGIN and CERTIFICATE.
		String normalized = HORIZONTAL_SPACE.matcher(text).replaceAll("\n");
		checkShape(normalized);
		int blocks = count(PEM_BEGIN.matcher(normalized));
		if (blocks == 0) {
			throw new MalformedForwardedCertificateException("no PEM certificate in the header");
		}
		if (blocks > MAX_CERTIFICATES) {
			throw new MalformedForwardedCertificateException(
					"more than " + MAX_CERTIFICATES + " certificates in the header");
		}
		List<X509Certificate> certificates;
		try {
			certificates = PemContent.of(normalized).getCertificates();
		}
		catch (RuntimeException ex) {
			throw new MalformedForwardedCertificateException("a PEM block is truncated or not a certificate");
		}
		if (certificates.size() != blocks) {
			throw new MalformedForwardedCertificateException("a PEM block is truncated or not a certificate");
		}
		return certificates;
	}

	/**
	 * Refuse, in one pass, text that no PEM writer produces and that would make the
	 * regular expressions below backtrack: lines longer than {@link #MAX_PEM_LINE}, runs
	 * of more than {@link #MAX_RUN} dashes or blank characters.
	 * @param text the normalized PEM text
	 * @throws MalformedForwardedCertificateException if the text is not shaped like PEM
	 */
	private static void checkShape(String text) throws MalformedForwardedCertificateException {
		int line = 0;
		int dashes = 0;
		int blanks = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			line = (c == '\n') ? 0 : line + 1;
			dashes = (c == '-') ? dashes + 1 : 0;
			blanks = Character.isWhitespace(c) ? blanks + 1 : 0;
			if (line > MAX_PEM_LINE || dashes > MAX_RUN || blanks > MAX_RUN) {
				throw new MalformedForwardedCertificateException(
						"not PEM: a line, or a run of dashes or blanks, is too long");
			}
		}
	}

	private static int count(Matcher matcher) {
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	/**
	 * Read comma-separated base64 DER certificates.
	 * @param text the certificates, each base64 (standard alphabet, padded or not)
	 * @return the certificates, in order
	 * @throws MalformedForwardedCertificateException if one is not base64 DER of one
	 * certificate, or there are too many
	 */
	static List<X509Certificate> base64DerList(String text) throws MalformedForwardedCertificateException {
		String[] items = text.split(",", -1);
		if (items.length > MAX_CERTIFICATES) {
			throw new MalformedForwardedCertificateException(
					"more than " + MAX_CERTIFICATES + " certificates in the header");
		}
		List<X509Certificate> certificates = new ArrayList<>(items.length);
		for (String item : items) {
			certificates.add(der(base64(item.strip())));
		}
		return certificates;
	}

	/**
	 * Decode base64 (standard alphabet, padded or not).
	 * @param text the base64 text
	 * @return the bytes
	 * @throws MalformedForwardedCertificateException if the text is empty or not base64
	 */
	static byte[] base64(String text) throws MalformedForwardedCertificateException {
		if (text.isEmpty()) {
			throw new MalformedForwardedCertificateException("an empty certificate in a list");
		}
		try {
			return Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedForwardedCertificateException("not base64: " + ex.getMessage());
		}
	}

	/**
	 * Read one DER certificate, and nothing else.
	 * @param der the encoded certificate
	 * @return the certificate
	 * @throws MalformedForwardedCertificateException if the bytes are not one DER
	 * certificate
	 */
	static X509Certificate der(byte[] der) throws MalformedForwardedCertificateException {
		// The JDK's factory also reads PEM and PKCS#7; a DER certificate is a SEQUENCE.
		if (der.length == 0 || der[0] != DER_SEQUENCE) {
			throw new MalformedForwardedCertificateException("not a DER certificate");
		}
		ByteArrayInputStream in = new ByteArrayInputStream(der);
		try {
			X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(in);
			if (in.available() > 0) {
				throw new MalformedForwardedCertificateException(in.available() + " bytes follow the DER certificate");
			}
			return certificate;
		}
		catch (CertificateException | RuntimeException ex) {
			throw new MalformedForwardedCertificateException("the DER certificate does not parse");
		}
	}

}
