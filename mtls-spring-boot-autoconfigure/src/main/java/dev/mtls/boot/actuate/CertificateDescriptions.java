package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mtls.boot.identity.CertificateFingerprint;
import dev.mtls.boot.identity.SubjectAlternativeNames;
import org.jspecify.annotations.Nullable;

/**
 * Describes certificates for actuator output: public facts only, never key material.
 */
final class CertificateDescriptions {

	private CertificateDescriptions() {
	}

	static Map<String, @Nullable Object> brief(X509Certificate certificate, Instant now) {
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("subject", certificate.getSubjectX500Principal().getName());
		description.put("serial", certificate.getSerialNumber().toString(16));
		description.put("notAfter", certificate.getNotAfter().toInstant());
		description.put("daysLeft", Duration.between(now, certificate.getNotAfter().toInstant()).toDays());
		return description;
	}

	static Map<String, @Nullable Object> full(X509Certificate certificate, Instant now) {
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("subject", certificate.getSubjectX500Principal().getName());
		description.put("subjectAlternativeNames", SubjectAlternativeNames.valuesOf(certificate));
		description.put("spiffeId",
				SubjectAlternativeNames.valuesOf(certificate)
					.stream()
					.filter((name) -> name.startsWith("spiffe://"))
					.findFirst()
					.orElse(null));
		description.put("issuer", certificate.getIssuerX500Principal().getName());
		description.put("serial", certificate.getSerialNumber().toString(16));
		description.put("sha256", CertificateFingerprint.sha256(certificate));
		description.put("notBefore", certificate.getNotBefore().toInstant());
		description.put("notAfter", certificate.getNotAfter().toInstant());
		description.put("daysLeft", Duration.between(now, certificate.getNotAfter().toInstant()).toDays());
		return description;
	}

	static List<Map<String, @Nullable Object>> brief(Collection<X509Certificate> certificates, Instant now) {
		return certificates.stream().map((certificate) -> brief(certificate, now)).toList();
	}

}
