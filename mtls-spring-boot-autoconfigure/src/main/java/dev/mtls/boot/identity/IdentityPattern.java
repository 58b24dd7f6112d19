package dev.mtls.boot.identity;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

/**
 * One pattern of the identity-pattern language, parsed once, matched against a
 * {@link CertificateIdentity} and the authorities it was granted.
 * <table>
 * <caption>Pattern forms</caption>
 * <tr>
 * <td>{@code *}</td>
 * <td>any authenticated certificate</td>
 * </tr>
 * <tr>
 * <td>{@code CN=ops,OU=platform,O=Acme}</td>
 * <td>subject DN: RDN order matters, multi-valued RDN order and spacing do not, ASCII
 * letters without case, other characters exactly</td>
 * </tr>
 * <tr>
 * <td>{@code cn:orders-*}</td>
 * <td>subject common name glob (ASCII letters without case)</td>
 * </tr>
 * <tr>
 * <td>{@code spiffe://acme.org/ns/*}{@code /sa/**}</td>
 * <td>SPIFFE ID; {@code *} is one path segment, {@code **} the rest (zero or more)</td>
 * </tr>
 * <tr>
 * <td>{@code dns:*.orders.svc}</td>
 * <td>a DNS SAN; {@code *} only as the whole leftmost label, matching exactly one
 * label</td>
 * </tr>
 * <tr>
 * <td>{@code uri:...}, {@code email:...}</td>
 * <td>a URI or e-mail SAN ({@code *} globs; e-mail case-insensitive)</td>
 * </tr>
 * <tr>
 * <td>{@code ip:10.0.0.0/8}, {@code ip:2001:db8::/32}</td>
 * <td>an IP SAN, address or CIDR (IPv4 never matches IPv6)</td>
 * </tr>
 * <tr>
 * <td>{@code issuer:CN=Acme CA,O=Acme}</td>
 * <td>the issuer DN</td>
 * </tr>
 * <tr>
 * <td>{@code sha256:ab12...}</td>
 * <td>the certificate's SHA-256 fingerprint, hex with or without colons</td>
 * </tr>
 * <tr>
 * <td>{@code authority:ROLE_ADMIN}</td>
 * <td>an authority granted to the principal</td>
 * </tr>
 * </table>
 * A {@linkplain CertificateIdentity#isFederated() federated} identity, whose trust
 * domain's CA vouches only for its SPIFFE ID, matches only {@code *}, {@code spiffe://},
 * {@code sha256:} and {@code authority:} patterns; DN, {@code cn:}, {@code dns:},
 * {@code uri:}, {@code email:}, {@code ip:} and {@code issuer:} patterns never match it.
 *
 * <pre class="code">
 * IdentityPattern ops = IdentityPattern.parse("spiffe://acme.org/ns/ops/**");
 * boolean allowed = ops.matches(identity);
 * </pre>
 *
 * @since 0.1.0
 */
public final class IdentityPattern {

	private static final List<String> PREFIXES = List.of("cn:", "dns:", "uri:", "email:", "ip:", "issuer:", "sha256:",
			"authority:");

	private static final Pattern HEX_FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

	private final String text;

	private final boolean usesAuthorities;

	private final BiPredicate<CertificateIdentity, Set<String>> matcher;

	private IdentityPattern(String text, boolean usesAuthorities,
			BiPredicate<CertificateIdentity, Set<String>> matcher) {
		this.text = text;
		this.usesAuthorities = usesAuthorities;
		this.matcher = matcher;
	}

	/**
	 * Parse a pattern.
	 * @param text the pattern
	 * @return the parsed pattern
	 * @throws InvalidIdentityPatternException if the text is not a pattern
	 */
	public static IdentityPattern parse(String text) {
		String pattern = text.strip();
		if (pattern.isEmpty()) {
			throw new InvalidIdentityPatternException(text, "the pattern is empty");
		}
		if (pattern.equals("*")) {
			return new IdentityPattern(pattern, false, (identity, authorities) -> true);
		}
		if (SpiffeId.hasScheme(pattern)) {
			return spiffe(pattern);
		}
		String lower = pattern.toLowerCase(Locale.ROOT);
		for (String prefix : PREFIXES) {
			if (lower.startsWith(prefix)) {
				String value = pattern.substring(prefix.length()).strip();
				if (value.isEmpty()) {
					throw new InvalidIdentityPatternException(text, "nothing follows '" + prefix + "'");
				}
				return prefixed(pattern, prefix, value);
			}
		}
		if (pattern.contains("=")) {
			String key = distinguishedName(pattern, pattern);
			return attribute(pattern, (identity) -> key.equals(identity.getSubjectKey()));
		}
		throw new InvalidIdentityPatternException(text,
				"expected '*', a DN such as 'CN=orders,O=Acme', a 'spiffe://' ID, or one of the prefixes "
						+ String.join(" ", PREFIXES));
	}

	private static IdentityPattern prefixed(String pattern, String prefix, String value) {
		return switch (prefix) {
			case "cn:" -> {
				Glob glob = Glob.of(value, true);
				yield attribute(pattern,
						(identity) -> identity.getCommonName() != null && glob.matches(identity.getCommonName()));
			}
			case "dns:" -> dns(pattern, value);
			case "uri:" -> {
				Glob glob = Glob.of(value, false);
				yield attribute(pattern, (identity) -> anyMatches(identity.getUris(), glob));
			}
			case "email:" -> {
				Glob glob = Glob.of(value, true);
				yield attribute(pattern, (identity) -> anyMatches(identity.getEmails(), glob));
			}
			case "ip:" -> {
				IpRange range = IpRange.parse(pattern, value);
				yield attribute(pattern, (identity) -> range.matchesAny(identity.getIpAddresses()));
			}
			case "issuer:" -> {
				String key = distinguishedName(pattern, value);
				yield attribute(pattern, (identity) -> key.equals(identity.getIssuerKey()));
			}
			case "sha256:" -> {
				String fingerprint = value.replace(":", "").toLowerCase(Locale.ROOT);
				if (!HEX_FINGERPRINT.matcher(fingerprint).matches()) {
					throw new InvalidIdentityPatternException(pattern,
							"a SHA-256 fingerprint is 64 hex digits, with or without colons");
				}
				yield new IdentityPattern(pattern, false,
						(identity, authorities) -> identity.getSha256Fingerprint().equals(fingerprint));
			}
			case "authority:" ->
				new IdentityPattern(pattern, true, (identity, authorities) -> authorities.contains(value));
			default -> throw new IllegalStateException(prefix);
		};
	}

	private static IdentityPattern spiffe(String pattern) {
		String problem = SpiffeId.problem(pattern, true);
		if (problem != null) {
			throw new InvalidIdentityPatternException(pattern, "not a SPIFFE ID pattern: " + problem);
		}
		String trustDomain = SpiffeId.trustDomain(pattern);
		String path = pattern.substring(SpiffeId.SCHEME.length() + trustDomain.length());
		String[] segments = path.isEmpty() ? new String[0] : path.substring(1).split("/");
		return new IdentityPattern(pattern, false, (identity, authorities) -> {
			String id = identity.getSpiffeId();
			return id != null && SpiffeId.trustDomain(id).equals(trustDomain)
					&& segmentsMatch(segments, id.substring(SpiffeId.SCHEME.length() + trustDomain.length()));
		});
	}

	private static boolean segmentsMatch(String[] pattern, String path) {
		String[] segments = path.isEmpty() ? new String[0] : path.substring(1).split("/");
		for (int i = 0; i < pattern.length; i++) {
			if (pattern[i].equals("**")) {
				return true;
			}
			if (i >= segments.length || !(pattern[i].equals("*") || pattern[i].equals(segments[i]))) {
				return false;
			}
		}
		return segments.length == pattern.length;
	}

	private static IdentityPattern dns(String pattern, String value) {
		String problem = HostMatcher.problem(value);
		if (problem != null) {
			throw new InvalidIdentityPatternException(pattern, problem);
		}
		HostMatcher matcher = HostMatcher.of(value);
		return attribute(pattern, (identity) -> identity.getDnsNames().stream().anyMatch(matcher::matches));
	}

	// A pattern of an attribute that only the workload's own trust domain vouches for
	// where there is SPIFFE: a federated domain's CA may write anything there.
	private static IdentityPattern attribute(String pattern, Predicate<CertificateIdentity> matcher) {
		return new IdentityPattern(pattern, false,
				(identity, authorities) -> !identity.isFederated() && matcher.test(identity));
	}

	private static String distinguishedName(String pattern, String dn) {
		X500Principal principal;
		try {
			principal = new X500Principal(dn);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidIdentityPatternException(pattern,
					"not a distinguished name (RFC 4514): " + ex.getMessage());
		}
		String key = DistinguishedNameKey.of(principal);
		if (key == null) {
			throw new InvalidIdentityPatternException(pattern,
					"not a distinguished name patterns can compare (RFC 4514, at most "
							+ DistinguishedNameKey.MAX_RDN_ATTRIBUTES + " attributes in one RDN)");
		}
		return key;
	}

	private static boolean anyMatches(List<String> values, Glob glob) {
		for (String value : values) {
			if (glob.matches(value)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the identity, holding the given authorities, matches this pattern.
	 * @param identity the certificate identity
	 * @param authorities the names of the authorities granted to it
	 * @return whether it matches
	 */
	public boolean matches(CertificateIdentity identity, Set<String> authorities) {
		return this.matcher.test(identity, authorities);
	}

	/**
	 * Whether the identity matches this pattern, granted no authorities.
	 * @param identity the certificate identity
	 * @return whether it matches
	 */
	public boolean matches(CertificateIdentity identity) {
		return matches(identity, Set.of());
	}

	/**
	 * Whether this is an {@code authority:} pattern, which depends on granted authorities
	 * rather than on the certificate.
	 * @return whether the pattern reads authorities
	 */
	public boolean usesAuthorities() {
		return this.usesAuthorities;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
