package dev.mtls.boot.trust;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.identity.HostMatcher;
import dev.mtls.boot.identity.SubjectAlternativeNames;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;

/**
 * RFC 6125 server identity check: the host called must be named by a DNS or IP subject
 * alternative name of the server's certificate, as {@link HostMatcher} matches them.
 */
final class HostNameCheck {

	private HostNameCheck() {
	}

	static void check(X509Certificate leaf, String host) throws CertificateRejectedException {
		List<SubjectAlternativeNames.Name> names;
		try {
			names = SubjectAlternativeNames.of(leaf);
		}
		catch (CertificateParsingException ex) {
			throw new CertificateRejectedException(Reason.NAME_MISMATCH,
					CertificateValidator.describe(leaf) + " has malformed SANs", ex);
		}
		List<String> seen = new ArrayList<>();
		boolean ip = HostMatcher.isIpAddress(host);
		for (SubjectAlternativeNames.Name name : names) {
			int type = name.type();
			String value = name.value();
			seen.add(value);
			if (ip ? (type == SubjectAlternativeNames.IP_ADDRESS && HostMatcher.sameAddress(value, host))
					: (type == SubjectAlternativeNames.DNS && HostMatcher.of(value).matches(host))) {
				return;
			}
		}
		throw new CertificateRejectedException(Reason.NAME_MISMATCH, CertificateValidator.describe(leaf) + " is for "
				+ seen + ", not for '" + host + "' (only subject alternative names count)");
	}

}
