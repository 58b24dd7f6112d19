package dev.mtls.boot.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads the subject alternative names of a certificate that the JDK renders as text
 * (e-mail, DNS, URI and IP address names), in the order the certificate lists them.
 *
 * <pre class="code">
 * for (SubjectAlternativeNames.Name name : SubjectAlternativeNames.of(certificate)) {
 *     if (name.type() == SubjectAlternativeNames.DNS) { ... }
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class SubjectAlternativeNames {

	/**
	 * The {@code rfc822Name} (e-mail) type.
	 */
	public static final int EMAIL = 1;

	/**
	 * The {@code dNSName} type.
	 */
	public static final int DNS = 2;

	/**
	 * The {@code uniformResourceIdentifier} type.
	 */
	public static final int URI = 6;

	/**
	 * The {@code iPAddress} type.
	 */
	public static final int IP_ADDRESS = 7;

	private SubjectAlternativeNames() {
	}

	/**
	 * Return the names held as text; others (such as {@code otherName}) are left out.
	 * @param certificate the certificate
	 * @return the names, empty if it has none
	 * @throws CertificateParsingException if the extension is malformed
	 */
	public static List<Name> of(X509Certificate certificate) throws CertificateParsingException {
		Collection<List<?>> names = certificate.getSubjectAlternativeNames();
		if (names == null) {
			return List.of();
		}
		List<Name> result = new ArrayList<>(names.size());
		for (List<?> name : names) {
			if (name.size() >= 2 && name.get(0) instanceof Integer type && name.get(1) instanceof String value) {
				result.add(new Name(type, value));
			}
		}
		return result;
	}

	/**
	 * Return the values of the names held as text, or none if the extension is malformed,
	 * for descriptions.
	 * @param certificate the certificate
	 * @return the values
	 */
	public static List<String> valuesOf(X509Certificate certificate) {
		try {
			return of(certificate).stream().map(Name::value).toList();
		}
		catch (CertificateParsingException ex) {
			return List.of();
		}
	}

	/**
	 * One subject alternative name.
	 *
	 * @param type the general name type, such as {@link #DNS}
	 * @param value the name as the JDK renders it (IPv6 addresses uncompressed)
	 */
	public record Name(int type, String value) {

	}

}
