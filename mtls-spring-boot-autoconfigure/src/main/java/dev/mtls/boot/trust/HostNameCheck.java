package dev.mtls.boot.trust;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.mtls.boot.trust.CertificateRejectedException.Reason;

/**
 * RFC 6125 server identity check: the host called must be named by a DNS or IP subject
 * alternative name of the server's certificate.
 */
final class HostNameCheck {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private HostNameCheck() {
	}

	static void check(X509Certificate leaf, String host) throws CertificateRejectedException {
		Collection<List<?>> names;
		try {
			names = leaf.getSubjectAlternativeNames();
		}
		catch (CertificateParsingException ex) {
			throw new CertificateRejectedException(Reason.NAME_MISMATCH, CertificateValidator.describe(leaf) + " has malformed SANs", ex);
		}
		List<String> seen = new ArrayList<>();
		boolean ip = IPV4.matcher(host).matches() || host.contains(":");
		if (names != null) {
			for (List<?> name : names) {
				if (!(name.get(1) instanceof String value)) {
					continue;
				}
				int type = (Integer) name.get(0);
				seen.add(value);
				if (ip ? (type == 7 && sameAddress(value, host)) : (type == 2 && dnsMatches(value, host))) {
					return;
				}
			}
		}
		throw new CertificateRejectedException(Reason.NAME_MISMATCH,
				CertificateValidator.describe(leaf) + " is for " + seen + ", not for '" + host + "' (only subject alternative names count)");
	}

	private static boolean sameAddress(String san, String host) {
		try {
			String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			// Both are literals, so no name is looked up.
			return InetAddress.getByName(san).equals(InetAddress.getByName(literal));
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * RFC 6125 matching of a DNS SAN: exact, case-insensitive, or a wildcard that is the
	 * whole leftmost label, stands for exactly one label and has at least two labels
	 * after it.
	 */
	static boolean dnsMatches(String san, String host) {
		String name = stripDot(san.toLowerCase(Locale.ROOT));
		String target = stripDot(host.toLowerCase(Locale.ROOT));
		if (!name.contains("*")) {
			return name.equals(target);
		}
		if (!name.startsWith("*.") || name.indexOf('*', 1) >= 0) {
			return false;
		}
		String suffix = name.substring(1);
		if (suffix.indexOf('.', 1) < 0) {
			return false;
		}
		int labelEnd = target.length() - suffix.length();
		return labelEnd > 0 && target.endsWith(suffix) && target.lastIndexOf('.', labelEnd - 1) < 0;
	}

	private static String stripDot(String name) {
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

}
