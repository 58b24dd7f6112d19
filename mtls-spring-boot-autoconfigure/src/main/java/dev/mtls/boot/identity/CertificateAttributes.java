package dev.mtls.boot.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.jspecify.annotations.Nullable;

/**
 * The attributes of a {@link CertificateIdentity} read from a certificate, or from what a
 * proxy attested of one, before one is chosen as the name.
 */
final class CertificateAttributes {

	final String subject;

	final String canonicalSubject;

	final @Nullable String subjectKey;

	final @Nullable String commonName;

	final List<String> dnsNames = new ArrayList<>();

	final List<String> uris = new ArrayList<>();

	final List<String> emails = new ArrayList<>();

	final List<String> ipAddresses = new ArrayList<>();

	@Nullable String spiffeId;

	@Nullable String spiffeIdProblem;

	final String sha256Fingerprint;

	CertificateAttributes(X509Certificate certificate) {
		this.subject = certificate.getSubjectX500Principal().getName();
		this.canonicalSubject = certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL);
		this.subjectKey = DistinguishedNameKey.of(certificate.getSubjectX500Principal());
		this.commonName = commonName(this.subject);
		readSubjectAlternativeNames(certificate);
		readSpiffeId();
		this.sha256Fingerprint = CertificateFingerprint.sha256(certificate);
	}

	CertificateAttributes(AttestedCertificate attested) {
		X500Principal subject = attested.subjectPrincipal();
		this.subject = subject.getName();
		this.canonicalSubject = subject.getName(X500Principal.CANONICAL);
		this.subjectKey = DistinguishedNameKey.of(subject);
		this.commonName = commonName(this.subject);
		this.dnsNames.addAll(attested.dnsNames());
		this.uris.addAll(attested.uris());
		readSpiffeId();
		this.sha256Fingerprint = attested.sha256Fingerprint();
	}

	private void readSubjectAlternativeNames(X509Certificate certificate) {
		List<SubjectAlternativeNames.Name> names;
		try {
			names = SubjectAlternativeNames.of(certificate);
		}
		catch (CertificateParsingException ex) {
			throw new MissingIdentityAttributeException(this.subject,
					"unreadable subject alternative names (" + CertificateText.escapeMessage(ex.getMessage()) + ")");
		}
		for (SubjectAlternativeNames.Name name : names) {
			switch (name.type()) {
				case SubjectAlternativeNames.EMAIL -> this.emails.add(name.value());
				case SubjectAlternativeNames.DNS -> this.dnsNames.add(name.value());
				case SubjectAlternativeNames.URI -> this.uris.add(name.value());
				case SubjectAlternativeNames.IP_ADDRESS -> this.ipAddresses.add(name.value());
				default -> {
				}
			}
		}
	}

	private void readSpiffeId() {
		List<String> candidates = this.uris.stream().filter(SpiffeId::hasScheme).toList();
		if (candidates.size() > 1) {
			this.spiffeIdProblem = "%d spiffe:// URI SANs, where a SPIFFE ID must be unique"
				.formatted(candidates.size());
		}
		else if (candidates.size() == 1) {
			String problem = SpiffeId.problem(candidates.get(0));
			if (problem == null) {
				this.spiffeId = candidates.get(0);
			}
			else {
				this.spiffeIdProblem = "an invalid SPIFFE ID '%s' (%s)"
					.formatted(CertificateText.escape(candidates.get(0)), CertificateText.escape(problem));
			}
		}
	}

	/**
	 * Whether a {@code spiffe://} URI SAN names a trust domain other than the workload's
	 * own, whose CA vouches for nothing but SPIFFE IDs of its own domain (see
	 * {@link SpiffeId#anyOfOtherTrustDomain}).
	 * @param localTrustDomain the workload's own trust domain, or {@code null} without
	 * SPIFFE
	 * @return whether the certificate is of a federated trust domain
	 */
	boolean isFederated(@Nullable String localTrustDomain) {
		return localTrustDomain != null && SpiffeId.anyOfOtherTrustDomain(this.uris, localTrustDomain);
	}

	private static @Nullable String commonName(String subject) {
		try {
			List<Rdn> rdns = new LdapName(subject).getRdns();
			// LdapName lists RDNs from the least to the most specific: the last CN wins.
			// Within a multi-valued RDN (CN=a+C=US) by type, not by Rdn.getType(), which
			// names the first type in sorted order; two CNs in one RDN name nobody, nor
			// does a name with an RDN too large to read (see DistinguishedNameKey).
			for (int i = rdns.size() - 1; i >= 0; i--) {
				if (rdns.get(i).size() > DistinguishedNameKey.MAX_RDN_ATTRIBUTES) {
					return null;
				}
				Attribute commonNames = rdns.get(i).toAttributes().get("CN");
				if (commonNames != null) {
					return (commonNames.size() == 1 && commonNames.get() instanceof String value) ? value : null;
				}
			}
			return null;
		}
		catch (NamingException ex) {
			return null;
		}
	}

}
