package dev.mtls.boot.identity;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The syntax of SPIFFE IDs (SPIFFE-ID specification, section 2): {@code spiffe://}, a
 * trust domain of lower-case letters, digits, dots, dashes and underscores, and a path of
 * non-empty segments of letters, digits, dots, dashes and underscores, with no
 * {@code .}/{@code ..} segments, query, fragment, port, user info or trailing slash.
 */
final class SpiffeId {

	static final String SCHEME = "spiffe://";

	private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");

	private static final Pattern SEGMENT = Pattern.compile("[a-zA-Z0-9._-]+");

	private SpiffeId() {
	}

	static boolean hasScheme(String uri) {
		return AsciiCase.regionMatches(uri, 0, SCHEME, 0, SCHEME.length());
	}

	/**
	 * Return what makes {@code id} an invalid SPIFFE ID, or {@code null} if it is valid.
	 * @param id the candidate
	 * @return the problem or {@code null}
	 */
	static @Nullable String problem(String id) {
		return problem(id, false);
	}

	/**
	 * As {@link #problem(String)}, optionally accepting {@code *} and {@code **} path
	 * segments (identity patterns), {@code **} only as the last segment.
	 * @param id the candidate
	 * @param wildcards whether {@code *} and {@code **} segments are allowed
	 * @return the problem or {@code null}
	 */
	static @Nullable String problem(String id, boolean wildcards) {
		if (!id.startsWith(SCHEME)) {
			return "the scheme must be 'spiffe://' in lower case";
		}
		String rest = id.substring(SCHEME.length());
		if (rest.contains("?") || rest.contains("#")) {
			return "a SPIFFE ID has no query or fragment";
		}
		int slash = rest.indexOf('/');
		String trustDomain = (slash < 0) ? rest : rest.substring(0, slash);
		if (trustDomain.isEmpty()) {
			return "the trust domain is empty";
		}
		if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
			return "the trust domain '%s' may hold only lower-case letters, digits, '.', '-' and '_' (no port or user info)"
				.formatted(trustDomain);
		}
		if (slash < 0) {
			return null;
		}
		String[] segments = rest.substring(slash + 1).split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			if (segment.isEmpty()) {
				return (i == segments.length - 1) ? "a SPIFFE ID has no trailing slash"
						: "the path has an empty segment";
			}
			if (segment.equals(".") || segment.equals("..")) {
				return "the path has a '.' or '..' segment";
			}
			boolean wildcard = wildcards && (segment.equals("*") || segment.equals("**"));
			if (wildcard && segment.equals("**") && i != segments.length - 1) {
				return "'**' may only be the last segment";
			}
			if (!wildcard && !SEGMENT.matcher(segment).matches()) {
				return "the path segment '%s' may hold only letters, digits, '.', '-' and '_'".formatted(segment);
			}
		}
		return null;
	}

	/**
	 * Return whether any URI with the {@code spiffe://} scheme, valid or not, names
	 * another trust domain than the given one exactly (valid trust domains are lower
	 * case), so that no invalid, second or look-alike SPIFFE ID hides a foreign one.
	 * @param uris the URIs
	 * @param trustDomain the trust domain
	 * @return whether one names another trust domain
	 */
	static boolean anyOfOtherTrustDomain(Collection<String> uris, String trustDomain) {
		for (String uri : uris) {
			if (hasScheme(uri) && !rawTrustDomain(uri).equals(trustDomain)) {
				return true;
			}
		}
		return false;
	}

	static String trustDomain(String id) {
		return rawTrustDomain(id).toLowerCase(Locale.ROOT);
	}

	/**
	 * Return what stands between the scheme and the path of a URI with the
	 * {@code spiffe://} scheme, as written.
	 * @param id the URI
	 * @return the trust domain, not checked nor folded to lower case
	 */
	static String rawTrustDomain(String id) {
		String rest = id.substring(SCHEME.length());
		int slash = rest.indexOf('/');
		return (slash < 0) ? rest : rest.substring(0, slash);
	}

}
