package dev.mtls.boot.identity;

/**
 * Comparisons that ignore the case of ASCII letters only.
 * {@link String#regionMatches(boolean, int, String, int, int)} and
 * {@link String#equalsIgnoreCase(String)} fold every script, so that a dotless {@code ı}
 * (U+0131) or a long {@code ſ} (U+017F) in a certificate equals the {@code i} or
 * {@code s} of a pattern: a name a CA reserves is not safe from its look-alikes, which no
 * CA checks.
 */
final class AsciiCase {

	private AsciiCase() {
	}

	/**
	 * Whether a region of one string equals a region of another, ASCII letters without
	 * case and every other character exactly.
	 * @param value the first string
	 * @param offset where the region starts in it
	 * @param other the second string
	 * @param otherOffset where the region starts in it
	 * @param length the region's length
	 * @return whether the regions are equal; {@code false} if either lies outside its
	 * string
	 */
	static boolean regionMatches(String value, int offset, String other, int otherOffset, int length) {
		if (offset < 0 || otherOffset < 0 || offset > value.length() - length
				|| otherOffset > other.length() - length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (toLowerCase(value.charAt(offset + i)) != toLowerCase(other.charAt(otherOffset + i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Lower-case the ASCII letters of a string, leaving every other character.
	 * @param value the string
	 * @return the string with ASCII letters in lower case
	 */
	static String toLowerCase(String value) {
		StringBuilder lower = null;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c >= 'A' && c <= 'Z') {
				if (lower == null) {
					lower = new StringBuilder(value);
				}
				lower.setCharAt(i, toLowerCase(c));
			}
		}
		return (lower != null) ? lower.toString() : value;
	}

	private static char toLowerCase(char c) {
		return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
	}

}
