package dev.mtls.boot.forwarded;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request headers for reader tests, and the encodings proxies write.
 */
final class ForwardedHeaderValues implements HeaderValues {

	private final Map<String, List<String>> headers = new LinkedHashMap<>();

	static ForwardedHeaderValues of(String... namesAndValues) {
		ForwardedHeaderValues values = new ForwardedHeaderValues();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			values.headers.computeIfAbsent(namesAndValues[i].toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
				.add(namesAndValues[i + 1]);
		}
		return values;
	}

	@Override
	public List<String> get(String name) {
		return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	static String pem(List<X509Certificate> certificates) {
		StringBuilder pem = new StringBuilder();
		for (X509Certificate certificate : certificates) {
			pem.append("-----BEGIN CERTIFICATE-----\n")
				.append(Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der(certificate)))
				.append("\n-----END CERTIFICATE-----\n");
		}
		return pem.toString();
	}

	/**
	 * PEM percent-encoded as Envoy and nginx write it: every reserved character escaped,
	 * a space as {@code %20}.
	 */
	static String urlPem(List<X509Certificate> certificates) {
		return urlEncode(pem(certificates));
	}

	static String urlEncode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/**
	 * PEM percent-encoded as AWS ALB writes it: {@code + = /} left as they are.
	 */
	static String albUrlPem(List<X509Certificate> certificates) {
		return urlPem(certificates).replace("%2B", "+").replace("%3D", "=").replace("%2F", "/");
	}

	static String base64Der(X509Certificate certificate) {
		return Base64.getEncoder().encodeToString(der(certificate));
	}

	static byte[] der(X509Certificate certificate) {
		try {
			return certificate.getEncoded();
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
