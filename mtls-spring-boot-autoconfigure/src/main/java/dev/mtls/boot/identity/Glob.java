package dev.mtls.boot.identity;

/**
 * A glob of the {@code cn:}, {@code uri:} and {@code email:} identity patterns: {@code *}
 * stands for any run of characters (none included), every other character for itself.
 * <p>
 * Matched by finding the literal parts between the stars from left to right, in time
 * proportional to the product of the glob's and the value's lengths at worst. A regular
 * expression of {@code .*} per star backtracks exponentially in the number of stars on a
 * value that does not match: fuzzing found a {@code uri:} pattern of sixteen stars in
 * three runs that took 97 seconds against a 37-character URI, and the value is a
 * certificate's text.
 */
final class Glob {

	private final String[] parts;

	private final boolean ignoreCase;

	private Glob(String[] parts, boolean ignoreCase) {
		this.parts = parts;
		this.ignoreCase = ignoreCase;
	}

	/**
	 * Parse a glob.
	 * @param glob the glob's text
	 * @param ignoreCase whether ASCII letters match regardless of case (other characters
	 * only themselves, see {@link AsciiCase})
	 * @return the glob
	 */
	static Glob of(String glob, boolean ignoreCase) {
		return new Glob(glob.split("\\*", -1), ignoreCase);
	}

	/**
	 * Whether the whole value matches this glob.
	 * @param value the value
	 * @return whether it matches
	 */
	boolean matches(String value) {
		String first = this.parts[0];
		if (this.parts.length == 1) {
			return value.length() == first.length() && regionMatches(value, 0, first);
		}
		String last = this.parts[this.parts.length - 1];
		int end = value.length() - last.length();
		if (end < first.length() || !regionMatches(value, 0, first) || !regionMatches(value, end, last)) {
			return false;
		}
		int position = first.length();
		for (int i = 1; i < this.parts.length - 1; i++) {
			int found = indexOf(value, this.parts[i], position, end);
			if (found < 0) {
				return false;
			}
			position = found + this.parts[i].length();
		}
		return true;
	}

	// The first index, from 'from', at which the part lies wholly before 'end': the
	// leftmost occurrence leaves the most room to the parts after it.
	private int indexOf(String value, String part, int from, int end) {
		for (int i = from; i + part.length() <= end; i++) {
			if (regionMatches(value, i, part)) {
				return i;
			}
		}
		return -1;
	}

	private boolean regionMatches(String value, int offset, String part) {
		return this.ignoreCase ? AsciiCase.regionMatches(value, offset, part, 0, part.length())
				: value.regionMatches(offset, part, 0, part.length());
	}

}
