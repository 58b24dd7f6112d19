package dev.mtls.boot.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * RFC 6125 matching of a host name against a DNS name, exact or with a wildcard that is
 * the whole leftmost label and stands for exactly one label; and of IP address literals.
 * Used for server certificates' names and for {@code dns:} identity patterns alike.
 *
 * <pre class="code">
 * HostMatcher.of("*.orders.svc").matches("eu.orders.svc"); // true
 * </pre>
 *
 * @since 0.1.0
 */
public final class HostMatcher {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final HostMatcher NOTHING = new HostMatcher("", null, false);

	/** Lower case, without a trailing dot. */
	private final String name;

	/** For a wildcard, the name without its leading '*' (starting with '.'). */
	private final @Nullable String suffix;

	private final boolean matchesAnything;

	private HostMatcher(String name, @Nullable String suffix, boolean matchesAnything) {
		this.name = name;
		this.suffix = suffix;
		this.matchesAnything = matchesAnything;
	}

	/**
	 * Create a matcher for a DNS name. A wildcard anywhere but as the whole leftmost
	 * label, or with fewer than two labels after it, matches nothing.
	 * @param dnsName a host name, such as {@code orders.svc} or {@code *.orders.svc},
	 * with or without a trailing dot
	 * @return the matcher
	 */
	public static HostMatcher of(String dnsName) {
		String name = stripDot(dnsName.toLowerCase(Locale.ROOT));
		if (!name.contains("*")) {
			return new HostMatcher(name, null, true);
		}
		if (!name.startsWith("*.") || name.indexOf('*', 1) >= 0) {
			return NOTHING;
		}
		String suffix = name.substring(1);
		if (suffix.indexOf('.', 1) < 0) {
			return NOTHING;
		}
		return new HostMatcher(name, suffix, true);
	}

	/**
	 * Return what makes a {@code dns:} identity pattern's name invalid, or {@code null}
	 * if it is valid: an empty label, or a wildcard anywhere but as the whole leftmost
	 * label with at least two labels after it.
	 * @param dnsName the name, with or without a trailing dot
	 * @return the problem or {@code null}
	 */
	public static @Nullable String problem(String dnsName) {
		String[] labels = stripDot(dnsName).split("\\.", -1);
		for (int i = 0; i < labels.length; i++) {
			if (labels[i].isEmpty()) {
				return "the host name has an empty label";
			}
			if (labels[i].contains("*") && (i > 0 || !labels[i].equals("*"))) {
				return "'*' may only be the whole leftmost label, as in '*.example.com'";
			}
		}
		if (labels[0].equals("*") && labels.length < 3) {
			return "a wildcard needs at least two labels after it, as in '*.example.com'";
		}
		return null;
	}

	/**
	 * Whether the name matches a host, case-insensitively, ignoring a trailing dot. A
	 * wildcard matches one whole label, never a label holding a {@code *} itself.
	 * @param host the host name
	 * @return whether it matches
	 */
	public boolean matches(String host) {
		if (!this.matchesAnything) {
			return false;
		}
		int length = host.endsWith(".") ? host.length() - 1 : host.length();
		if (this.suffix == null) {
			return length == this.name.length() && AsciiCase.regionMatches(host, 0, this.name, 0, length);
		}
		int labelEnd = length - this.suffix.length();
		if (labelEnd < 1 || !AsciiCase.regionMatches(host, labelEnd, this.suffix, 0, this.suffix.length())) {
			return false;
		}
		for (int i = 0; i < labelEnd; i++) {
			char c = host.charAt(i);
			if (c == '.' || c == '*') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a host is an IP address literal rather than a name: a dotted IPv4 quad, or
	 * anything with a colon (IPv6, bracketed or not).
	 * @param host the host
	 * @return whether it is an address
	 */
	public static boolean isIpAddress(String host) {
		return IPV4.matcher(host).matches() || host.contains(":");
	}

	/**
	 * Whether two IP address literals name the same address (IPv6 in any notation, in
	 * brackets or not). No name is ever looked up.
	 * @param address an address, as a certificate's IP SAN renders it
	 * @param host the host called
	 * @return whether they are the same address
	 */
	public static boolean sameAddress(String address, String host) {
		byte[] addressBytes = IpRange.toBytes(address);
		byte[] hostBytes = IpRange.toBytes(host);
		return addressBytes != null && hostBytes != null && Arrays.equals(addressBytes, hostBytes);
	}

	private static String stripDot(String name) {
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
