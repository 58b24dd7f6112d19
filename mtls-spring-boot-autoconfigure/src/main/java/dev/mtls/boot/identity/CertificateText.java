package dev.mtls.boot.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;

import org.jspecify.annotations.Nullable;

/**
 * Renders text taken from a certificate (subject, issuer, SANs, SPIFFE ID) safely for a
 * log line, an exception message, an event or a metric tag: every field of a certificate
 * is chosen by whoever made it, trusted or not.
 * <p>
 * Characters that could forge or hide log content are escaped: {@code \n}, {@code \r} and
 * {@code \t} as those two-character sequences, and as {@code \}{@code uXXXX} (UTF-16
 * units, so a supplementary character takes two) every other character of the Unicode
 * categories control (C0, DEL, C1), format (bidi embeddings, overrides and isolates
 * U+202A&ndash;U+202E and U+2066&ndash;U+2069, zero-width characters, the BOM), line and
 * paragraph separator (U+2028, U+2029), unassigned, private use and lone surrogates.
 * Printable text, non-ASCII letters included, stays as it is, and so do backslashes: the
 * result is for reading, not for parsing back. Text longer than a limit is cut and ends
 * with a marker such as {@code ...(1200 more characters)}, so that a peer cannot make one
 * log line megabytes long.
 *
 * @since 0.1.0
 */
public final class CertificateText {

	/**
	 * How many characters of one certificate field are rendered; longer ones are cut.
	 */
	public static final int MAX_FIELD_LENGTH = 512;

	/**
	 * How many characters of a message that may embed certificate text are rendered.
	 */
	public static final int MAX_MESSAGE_LENGTH = 4096;

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private CertificateText() {
	}

	/**
	 * Return one certificate field (a DN, a SAN, a SPIFFE ID, a common name) escaped and
	 * cut at {@value #MAX_FIELD_LENGTH} characters.
	 * @param text the field, or {@code null}
	 * @return the text safe to log, {@code "null"} for {@code null}
	 */
	public static String escape(@Nullable String text) {
		return escape(text, MAX_FIELD_LENGTH);
	}

	/**
	 * Return a message that may embed certificate text, such as a JDK or HTTP client
	 * exception message, escaped and cut at {@value #MAX_MESSAGE_LENGTH} characters.
	 * @param message the message, or {@code null}
	 * @return the message safe to log, {@code "null"} for {@code null}
	 */
	public static String escapeMessage(@Nullable String message) {
		return escape(message, MAX_MESSAGE_LENGTH);
	}

	/**
	 * Describe a certificate for a log line or a refusal: its subject, issuer and serial,
	 * as in {@code certificate 'CN=alice' (issuer 'CN=Acme CA', serial 1f)}, the names
	 * escaped.
	 * @param certificate the certificate
	 * @return the description
	 */
	public static String describe(X509Certificate certificate) {
		return "certificate '" + name(certificate) + "' (issuer '"
				+ escape(certificate.getIssuerX500Principal().getName()) + "', serial "
				+ certificate.getSerialNumber().toString(16) + ")";
	}

	/**
	 * Return what names a certificate, escaped: its subject, or, when the subject is
	 * empty (as a SPIFFE SVID's often is), its first URI subject alternative name.
	 * @param certificate the certificate
	 * @return the name, safe to log
	 */
	public static String name(X509Certificate certificate) {
		String subject = certificate.getSubjectX500Principal().getName();
		return escape(subject.isEmpty() ? firstUri(certificate) : subject);
	}

	private static String firstUri(X509Certificate certificate) {
		try {
			return SubjectAlternativeNames.of(certificate)
				.stream()
				.filter((name) -> name.type() == SubjectAlternativeNames.URI)
				.map(SubjectAlternativeNames.Name::value)
				.findFirst()
				.orElse("");
		}
		catch (CertificateParsingException ex) {
			return "";
		}
	}

	// The bound is on what is written: an escaped character takes up to six.
	private static String escape(@Nullable String text, int maxLength) {
		if (text == null) {
			return "null";
		}
		if (text.length() <= maxLength && isSafe(text)) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(Math.min(text.length(), maxLength) + 32);
		int i = 0;
		while (i < text.length()) {
			int codePoint = text.codePointAt(i);
			int next = i + Character.charCount(codePoint);
			int before = escaped.length();
			if (isSafe(codePoint)) {
				escaped.appendCodePoint(codePoint);
			}
			else {
				for (int unit = i; unit < next; unit++) {
					appendEscaped(escaped, text.charAt(unit));
				}
			}
			if (escaped.length() > maxLength) {
				escaped.setLength(before);
				break;
			}
			i = next;
		}
		if (i < text.length()) {
			escaped.append("...(").append(text.length() - i).append(" more characters)");
		}
		return escaped.toString();
	}

	private static boolean isSafe(String text) {
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			if (!isSafe(codePoint)) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

	private static boolean isSafe(int codePoint) {
		if (codePoint >= 0x20 && codePoint < 0x7F) {
			return true;
		}
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
					Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE ->
				false;
			default -> true;
		};
	}

	private static void appendEscaped(StringBuilder escaped, char unit) {
		switch (unit) {
			case '\n' -> escaped.append("\\n");
			case '\r' -> escaped.append("\\r");
			case '\t' -> escaped.append("\\t");
			default -> escaped.append("\\u")
				.append(HEX[(unit >> 12) & 0xF])
				.append(HEX[(unit >> 8) & 0xF])
				.append(HEX[(unit >> 4) & 0xF])
				.append(HEX[unit & 0xF]);
		}
	}

}
