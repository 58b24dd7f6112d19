package dev.mtls.boot.identity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * An IP address or CIDR range, the value of an {@code ip:} identity pattern or of a
 * trusted proxy's address, matched against IP address literals without any name lookup.
 * IPv4 never matches IPv6, not even {@code /0}; an IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) is read as the IPv4 address it maps, as the JDK reads it.
 * Bits past the prefix length are ignored, so {@code 10.1.2.3/8} is {@code 10.0.0.0/8}.
 *
 * @since 0.1.0
 */
public final class IpRange {

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

	private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

	private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");

	private static final byte[] IPV4_MAPPED = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff };

	private final byte[] address;

	private final int prefixLength;

	private IpRange(byte[] address, int prefixLength) {
		this.address = address;
		this.prefixLength = prefixLength;
	}

	/**
	 * Parse an address ({@code 10.1.2.3}, {@code 2001:db8::7}) or a CIDR range
	 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
	 * @param pattern the whole pattern, for the exception
	 * @param value the address or range
	 * @return the range
	 * @throws InvalidIdentityPatternException if the value is neither
	 */
	static IpRange parse(String pattern, String value) {
		int slash = value.indexOf('/');
		String literal = (slash < 0) ? value : value.substring(0, slash);
		byte[] address = toBytes(literal);
		if (address == null) {
			throw new InvalidIdentityPatternException(pattern, "'" + literal + "' is not an IPv4 or IPv6 address");
		}
		int max = address.length * 8;
		if (slash < 0) {
			return new IpRange(address, max);
		}
		String bits = value.substring(slash + 1);
		if (!PREFIX_LENGTH.matcher(bits).matches() || Integer.parseInt(bits) > max) {
			throw new InvalidIdentityPatternException(pattern, "the prefix length must be 0 to " + max);
		}
		return new IpRange(address, Integer.parseInt(bits));
	}

	/**
	 * Parse an address ({@code 10.1.2.3}, {@code 2001:db8::7}) or a CIDR range
	 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
	 * @param range the address or range
	 * @return the range
	 * @throws IllegalArgumentException if the text is neither, saying why
	 */
	public static IpRange of(String range) {
		try {
			return parse(range, range.strip());
		}
		catch (InvalidIdentityPatternException ex) {
			throw new IllegalArgumentException(ex.getReason(), ex);
		}
	}

	/**
	 * Whether an address literal, as a certificate's IP SAN renders it, is in the range.
	 * @param literal the address
	 * @return whether it is in the range; never for a literal that is not an address
	 */
	public boolean matches(String literal) {
		byte[] candidate = toBytes(literal);
		if (candidate == null || candidate.length != this.address.length) {
			return false;
		}
		int wholeBytes = this.prefixLength / 8;
		for (int i = 0; i < wholeBytes; i++) {
			if (candidate[i] != this.address[i]) {
				return false;
			}
		}
		int mask = (0xff00 >> (this.prefixLength % 8)) & 0xff;
		return mask == 0 || ((candidate[wholeBytes] ^ this.address[wholeBytes]) & mask) == 0;
	}

	/**
	 * Whether any of the address literals is in the range.
	 * @param literals the addresses
	 * @return whether one is in the range
	 */
	boolean matchesAny(List<String> literals) {
		for (String literal : literals) {
			if (matches(literal)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The bytes of an IPv4 (dotted quad) or IPv6 literal (in brackets or not), four for
	 * IPv4 and IPv4-mapped IPv6, sixteen for other IPv6.
	 * @param literal the literal
	 * @return the bytes, or {@code null} if the text is not an address literal
	 */
	static byte @Nullable [] toBytes(String literal) {
		if (!literal.contains(":")) {
			return ipv4(literal);
		}
		String text = (literal.startsWith("[") && literal.endsWith("]")) ? literal.substring(1, literal.length() - 1)
				: literal;
		byte[] bytes = ipv6(text);
		if (bytes != null && Arrays.equals(bytes, 0, IPV4_MAPPED.length, IPV4_MAPPED, 0, IPV4_MAPPED.length)) {
			return Arrays.copyOfRange(bytes, IPV4_MAPPED.length, bytes.length);
		}
		return bytes;
	}

	private static byte @Nullable [] ipv4(String text) {
		Matcher matcher = IPV4.matcher(text);
		if (!matcher.matches()) {
			return null;
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			int octet = Integer.parseInt(matcher.group(i + 1));
			if (octet > 255) {
				return null;
			}
			bytes[i] = (byte) octet;
		}
		return bytes;
	}

	private static byte @Nullable [] ipv6(String text) {
		int gap = text.indexOf("::");
		if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
			return null;
		}
		List<Integer> head = words((gap < 0) ? text : text.substring(0, gap), gap < 0);
		List<Integer> tail = words((gap < 0) ? "" : text.substring(gap + 2), true);
		if (head == null || tail == null || ((gap < 0) ? head.size() != 8 : head.size() + tail.size() > 7)) {
			return null;
		}
		byte[] bytes = new byte[16];
		for (int i = 0; i < head.size(); i++) {
			bytes[2 * i] = (byte) (head.get(i) >> 8);
			bytes[2 * i + 1] = head.get(i).byteValue();
		}
		for (int i = 0; i < tail.size(); i++) {
			int at = 16 - 2 * (tail.size() - i);
			bytes[at] = (byte) (tail.get(i) >> 8);
			bytes[at + 1] = tail.get(i).byteValue();
		}
		return bytes;
	}

	// The 16-bit words of colon-separated hex groups; if the groups end the address, the
	// last may be a dotted IPv4 address (two words)
	private static @Nullable List<Integer> words(String groups, boolean last) {
		List<Integer> words = new ArrayList<>();
		if (groups.isEmpty()) {
			return words;
		}
		String[] parts = groups.split(":", -1);
		for (int i = 0; i < parts.length; i++) {
			if (HEX_GROUP.matcher(parts[i]).matches()) {
				words.add(Integer.parseInt(parts[i], 16));
				continue;
			}
			byte[] ipv4 = (last && i == parts.length - 1) ? ipv4(parts[i]) : null;
			if (ipv4 == null) {
				return null;
			}
			words.add(((ipv4[0] & 0xff) << 8) | (ipv4[1] & 0xff));
			words.add(((ipv4[2] & 0xff) << 8) | (ipv4[3] & 0xff));
		}
		return words;
	}

}
