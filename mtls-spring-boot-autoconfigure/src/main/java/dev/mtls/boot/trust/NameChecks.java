package dev.mtls.boot.trust;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.jspecify.annotations.Nullable;

/**
 * RFC 5280 rules for names and name constraints that the JDK's path validation leaves
 * out: the syntax of DNS, IP address and email subject alternative names (4.2.1.6) and of
 * name constraint subtrees (4.2.1.10), and wildcard names that could stand for an
 * excluded name. Also bounds the work that name constraints make a validation do, since
 * both the constraints and the names come from certificates an unauthenticated peer may
 * send.
 */
final class NameChecks {

	/**
	 * The most comparisons of names against name constraint subtrees one chain may ask
	 * for, OpenSSL's bound: a real deployment needs thousands, a hostile chain millions.
	 */
	static final int MAX_NAME_CONSTRAINT_COMPARISONS = 1 << 20;

	/**
	 * The most name constraint subtrees of one chain and its anchor: the JDK merges the
	 * constraints of successive CAs at a cost that grows faster than their number.
	 */
	static final int MAX_NAME_CONSTRAINT_SUBTREES = 1024;

	private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";

	private static final String NAME_CONSTRAINTS = "2.5.29.30";

	private static final int MAX_DNS_NAME_LENGTH = 253;

	private static final int MAX_LABEL_LENGTH = 63;

	private NameChecks() {
	}

	/**
	 * Refuse a chain whose name constraints would cost too much to apply, before any path
	 * is built: more than {@link #MAX_NAME_CONSTRAINT_SUBTREES} subtrees, or more than
	 * {@link #MAX_NAME_CONSTRAINT_COMPARISONS} comparisons with its names.
	 * @param chain the presented chain, leaf first
	 * @param anchorSubtrees the most name constraint subtrees of any trust anchor
	 * @throws CertificateRejectedException if the chain asks for too much work
	 */
	static void checkWork(List<X509Certificate> chain, int anchorSubtrees) throws CertificateRejectedException {
		long subtrees = anchorSubtrees;
		for (int i = 1; i < chain.size(); i++) {
			subtrees += subtreeCount(chain.get(i));
		}
		if (subtrees == 0) {
			return;
		}
		if (subtrees > MAX_NAME_CONSTRAINT_SUBTREES) {
			throw new CertificateRejectedException(Reason.POLICY,
					CertificateValidator.describe(chain.get(0)) + " comes with " + subtrees
							+ " name constraints in its chain and anchor: more than " + MAX_NAME_CONSTRAINT_SUBTREES
							+ ", refused unchecked");
		}
		long names = 0;
		for (X509Certificate certificate : chain) {
			names += nameCount(certificate);
		}
		if (subtrees * names > MAX_NAME_CONSTRAINT_COMPARISONS) {
			throw new CertificateRejectedException(Reason.POLICY,
					CertificateValidator.describe(chain.get(0)) + " comes with " + names + " names under " + subtrees
							+ " name constraints: more than " + MAX_NAME_CONSTRAINT_COMPARISONS
							+ " comparisons, refused unchecked");
		}
	}

	/**
	 * Return the most name constraint subtrees of any of the given trust anchors. An
	 * anchor whose constraints cannot be read counts none here: the strict-structure
	 * checks refuse its chains as malformed.
	 * @param anchors the trust anchors' certificates
	 * @return the largest number of subtrees
	 */
	static int maxSubtreeCount(Collection<X509Certificate> anchors) {
		int max = 0;
		for (X509Certificate anchor : anchors) {
			try {
				max = Math.max(max, subtreeCount(anchor));
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				// Malformed: refused later, with the reason.
			}
		}
		return max;
	}

	/**
	 * Return how many permitted and excluded subtrees a certificate's name constraints
	 * hold.
	 * @param certificate the certificate
	 * @return the number of subtrees, 0 without name constraints
	 */
	static int subtreeCount(X509Certificate certificate) {
		NameConstraints constraints = nameConstraints(certificate);
		if (constraints == null) {
			return 0;
		}
		return length(constraints.getPermittedSubtrees()) + length(constraints.getExcludedSubtrees());
	}

	private static int nameCount(X509Certificate certificate) {
		int count = 0;
		for (RDN rdn : X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs()) {
			count += rdn.size();
		}
		byte[] san = StructureChecks.extension(certificate, SUBJECT_ALTERNATIVE_NAME);
		return (san != null) ? count + GeneralNames.getInstance(san).getNames().length : count;
	}

	/**
	 * Check the names and name constraints of a built path and its anchor.
	 * @param path the path, leaf first, without the anchor
	 * @param anchor the trust anchor's certificate, if known
	 * @throws CertificateRejectedException if a name or a constraint breaks a rule
	 */
	static void check(List<X509Certificate> path, @Nullable X509Certificate anchor)
			throws CertificateRejectedException {
		List<X509Certificate> constraining = new ArrayList<>(path.subList(1, path.size()));
		if (anchor != null && !path.contains(anchor)) {
			constraining.add(anchor);
		}
		for (X509Certificate certificate : path) {
			checkAlternativeNames(certificate);
		}
		for (X509Certificate certificate : constraining) {
			checkNameConstraints(certificate);
		}
		checkWildcardsAgainstExclusions(path.get(0), constraining);
	}

	private static void checkAlternativeNames(X509Certificate certificate) throws CertificateRejectedException {
		byte[] san = StructureChecks.extension(certificate, SUBJECT_ALTERNATIVE_NAME);
		if (san == null) {
			return;
		}
		for (GeneralName name : GeneralNames.getInstance(san).getNames()) {
			String problem = switch (name.getTagNo()) {
				case GeneralName.dNSName -> dnsNameProblem(text(name), true);
				case GeneralName.iPAddress -> (ipLength(name) == 4 || ipLength(name) == 16) ? null
						: "an IP address of " + ipLength(name) + " octets";
				case GeneralName.rfc822Name -> mailboxProblem(text(name));
				default -> null;
			};
			if (problem != null) {
				throw StructureChecks.reject(certificate, "has a malformed subject alternative name: " + problem);
			}
		}
	}

	private static void checkNameConstraints(X509Certificate certificate) throws CertificateRejectedException {
		NameConstraints constraints = nameConstraints(certificate);
		if (constraints == null) {
			return;
		}
		for (GeneralSubtree[] subtrees : new GeneralSubtree[][] { constraints.getPermittedSubtrees(),
				constraints.getExcludedSubtrees() }) {
			for (GeneralSubtree subtree : (subtrees != null) ? subtrees : new GeneralSubtree[0]) {
				String problem = subtreeProblem(subtree.getBase());
				if (problem != null) {
					throw StructureChecks.reject(certificate, "has a malformed name constraint: " + problem);
				}
			}
		}
	}

	private static @Nullable String subtreeProblem(GeneralName base) {
		return switch (base.getTagNo()) {
			case GeneralName.dNSName -> text(base).isEmpty() ? null : dnsNameProblem(text(base), false);
			case GeneralName.iPAddress -> ipRangeProblem(ASN1OctetString.getInstance(base.getName()).getOctets());
			case GeneralName.rfc822Name -> emailConstraintProblem(text(base));
			default -> null;
		};
	}

	/**
	 * A wildcard name such as {@code *.example.com} stands for {@code bar.example.com};
	 * the JDK compares it with {@code bar.example.com} as a name of its own and lets it
	 * pass an exclusion of {@code bar.example.com} (CVE-2025-61727). Refuse any wildcard
	 * that could stand for an excluded name.
	 * @param leaf the end entity
	 * @param constraining the certificates above it whose name constraints apply
	 */
	private static void checkWildcardsAgainstExclusions(X509Certificate leaf, List<X509Certificate> constraining)
			throws CertificateRejectedException {
		List<String> wildcardSuffixes = new ArrayList<>();
		byte[] san = StructureChecks.extension(leaf, SUBJECT_ALTERNATIVE_NAME);
		if (san != null) {
			for (GeneralName name : GeneralNames.getInstance(san).getNames()) {
				String value = (name.getTagNo() == GeneralName.dNSName) ? text(name).toLowerCase(Locale.ROOT) : "";
				if (value.startsWith("*.")) {
					wildcardSuffixes.add(value.substring(1));
				}
			}
		}
		if (wildcardSuffixes.isEmpty()) {
			return;
		}
		for (X509Certificate certificate : constraining) {
			NameConstraints constraints = nameConstraints(certificate);
			GeneralSubtree[] excluded = (constraints != null) ? constraints.getExcludedSubtrees() : null;
			for (GeneralSubtree subtree : (excluded != null) ? excluded : new GeneralSubtree[0]) {
				if (subtree.getBase().getTagNo() != GeneralName.dNSName) {
					continue;
				}
				String exclusion = text(subtree.getBase()).toLowerCase(Locale.ROOT);
				for (String suffix : wildcardSuffixes) {
					int labelEnd = exclusion.length() - suffix.length();
					if (labelEnd > 0 && exclusion.endsWith(suffix) && exclusion.lastIndexOf('.', labelEnd - 1) < 0) {
						throw StructureChecks.reject(leaf,
								"has the wildcard name '*" + CertificateText.escape(suffix) + "', which stands for '"
										+ CertificateText.escape(exclusion) + "', excluded by the name constraints of "
										+ CertificateValidator.describe(certificate));
					}
				}
			}
		}
	}

	/**
	 * Return what makes a DNS name break the preferred name syntax (RFC 1034 3.5, RFC
	 * 1123 2.1), or {@code null}.
	 * @param name the name
	 * @param wildcardAllowed whether a leftmost {@code *} label is allowed
	 * @return the problem, or {@code null} if the name is well-formed
	 */
	static @Nullable String dnsNameProblem(String name, boolean wildcardAllowed) {
		if (name.isEmpty() || name.length() > MAX_DNS_NAME_LENGTH) {
			return "a DNS name of " + name.length() + " characters";
		}
		String[] labels = name.split("\\.", -1);
		for (int i = 0; i < labels.length; i++) {
			String label = labels[i];
			if (i == 0 && wildcardAllowed && label.equals("*") && labels.length > 1) {
				continue;
			}
			if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH || label.startsWith("-") || label.endsWith("-")
					|| !label.chars().allMatch(NameChecks::isLetterDigitHyphen)) {
				return "the DNS name '" + CertificateText.escape(name)
						+ "' is not in the preferred name syntax (letters, digits and hyphens in dot-separated labels)";
			}
		}
		return null;
	}

	private static boolean isLetterDigitHyphen(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
	}

	private static @Nullable String mailboxProblem(String mailbox) {
		int at = mailbox.indexOf('@');
		if (at <= 0 || mailbox.indexOf('@', at + 1) >= 0) {
			return "the email address '" + CertificateText.escape(mailbox) + "' is not local-part@domain";
		}
		return dnsNameProblem(mailbox.substring(at + 1), false);
	}

	private static @Nullable String emailConstraintProblem(String constraint) {
		if (constraint.contains("@")) {
			return mailboxProblem(constraint);
		}
		return dnsNameProblem(constraint.startsWith(".") ? constraint.substring(1) : constraint, false);
	}

	private static @Nullable String ipRangeProblem(byte[] range) {
		if (range.length != 8 && range.length != 32) {
			return "an IP address range of " + range.length + " octets (an address and a mask: 8 or 32)";
		}
		boolean zeroSeen = false;
		for (int i = range.length / 2; i < range.length; i++) {
			for (int bit = 7; bit >= 0; bit--) {
				boolean one = ((range[i] >> bit) & 1) == 1;
				if (one && zeroSeen) {
					return "an IP address range whose mask is not a prefix (CIDR)";
				}
				zeroSeen |= !one;
			}
		}
		return null;
	}

	private static int ipLength(GeneralName name) {
		return ASN1OctetString.getInstance(name.getName()).getOctets().length;
	}

	private static String text(GeneralName name) {
		return ASN1IA5String.getInstance(name.getName()).getString();
	}

	private static int length(Object @Nullable [] array) {
		return (array != null) ? array.length : 0;
	}

	private static @Nullable NameConstraints nameConstraints(X509Certificate certificate) {
		byte[] value = StructureChecks.extension(certificate, NAME_CONSTRAINTS);
		return (value != null) ? NameConstraints.getInstance(value) : null;
	}

}
