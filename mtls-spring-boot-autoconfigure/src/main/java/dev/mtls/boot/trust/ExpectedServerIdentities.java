package dev.mtls.boot.trust;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.mtls.boot.identity.HostMatcher;
import dev.mtls.boot.identity.IdentityPattern;
import org.jspecify.annotations.Nullable;

/**
 * What identity a client expects of the servers it calls, by host: for a host with an
 * expectation, the server's certificate must match the identity pattern (such as a SPIFFE
 * ID pattern) instead of naming the host; other hosts are checked by name. SPIFFE SVIDs
 * name no host, so calls to SPIFFE peers need an expectation.
 *
 * @since 0.1.0
 */
public final class ExpectedServerIdentities {

	/**
	 * No expectation: every server is checked by host name.
	 */
	public static final ExpectedServerIdentities NONE = new ExpectedServerIdentities(Map.of());

	private final Map<String, IdentityPattern> byHost;

	private ExpectedServerIdentities(Map<String, IdentityPattern> byHost) {
		this.byHost = byHost;
	}

	/**
	 * Create the expectations from host patterns (a host name, an IP address,
	 * {@code *.example.org} for one label, or {@code *} for every host) and identity
	 * patterns. An exact host wins over a wildcard, a wildcard over {@code *}.
	 * @param byHost identity patterns by host pattern
	 * @return the expectations
	 * @throws IllegalArgumentException if a host or identity pattern is invalid
	 */
	public static ExpectedServerIdentities of(Map<String, String> byHost) {
		Map<String, IdentityPattern> parsed = new LinkedHashMap<>();
		byHost.forEach((host, pattern) -> {
			if (!host.equals("*")) {
				String problem = HostMatcher.problem(host);
				if (problem != null && !HostMatcher.isIpAddress(host)) {
					throw new IllegalArgumentException("'%s' is no host pattern: %s".formatted(host, problem));
				}
			}
			// Only a SPIFFE ID pattern: '*' or 'cn:' would accept servers by less than
			// their ID.
			if (!pattern.startsWith("spiffe://")) {
				throw new IllegalArgumentException(
						"'%s' is no SPIFFE ID pattern (spiffe://trust-domain/path, '*' or '**' as segments)"
							.formatted(pattern));
			}
			parsed.put(normalize(host), IdentityPattern.parse(pattern));
		});
		return new ExpectedServerIdentities(Map.copyOf(parsed));
	}

	/**
	 * Return the identity expected of the server at a host.
	 * @param host the host called
	 * @return the pattern, or {@code null} to check the host name
	 */
	public @Nullable IdentityPattern forHost(String host) {
		IdentityPattern exact = this.byHost.get(normalize(host));
		if (exact != null) {
			return exact;
		}
		boolean address = HostMatcher.isIpAddress(host);
		if (!address) {
			for (Map.Entry<String, IdentityPattern> entry : this.byHost.entrySet()) {
				String pattern = entry.getKey();
				if (pattern.startsWith("*.") && HostMatcher.of(pattern).matches(host)) {
					return entry.getValue();
				}
			}
		}
		return this.byHost.get("*");
	}

	// Host names compare without case and trailing dot, as wildcards match them.
	private static String normalize(String host) {
		String lower = host.toLowerCase(Locale.ROOT);
		return (lower.endsWith(".") && lower.length() > 1) ? lower.substring(0, lower.length() - 1) : lower;
	}

	public boolean isEmpty() {
		return this.byHost.isEmpty();
	}

}
