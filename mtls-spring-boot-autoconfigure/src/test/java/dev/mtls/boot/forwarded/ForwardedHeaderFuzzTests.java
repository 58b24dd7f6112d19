package dev.mtls.boot.forwarded;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every forwarded-certificate header parser, fed any header value: the contract is a
 * chain of certificates the JDK parsed, or {@link MalformedForwardedCertificateException}
 * (a 400), nothing else, in bounded time. The seeds (in
 * {@code ForwardedHeaderFuzzTestsInputs}) are headers as Envoy, nginx, HAProxy, Traefik
 * and RFC 9440 proxies write them, and broken variants.
 */
class ForwardedHeaderFuzzTests {

	@FuzzTest(maxDuration = "10s")
	void xfcc(byte[] input) {
		read(ForwardedCertificateFormat.XFCC, null, input);
	}

	@FuzzTest(maxDuration = "10s")
	void rfc9440(byte[] input) {
		read(ForwardedCertificateFormat.RFC9440, null, input);
	}

	@FuzzTest(maxDuration = "10s")
	void urlEncodedPem(byte[] input) {
		read(ForwardedCertificateFormat.NGINX, null, input);
	}

	@FuzzTest(maxDuration = "10s")
	void base64Der(byte[] input) {
		read(ForwardedCertificateFormat.HEADER, ForwardedCertificateEncoding.BASE64_DER, input);
	}

	@FuzzTest(maxDuration = "10s")
	void pemWithSpaces(byte[] input) {
		read(ForwardedCertificateFormat.HEADER, ForwardedCertificateEncoding.PEM, input);
	}

	@FuzzTest(maxDuration = "10s")
	void traefik(byte[] input) {
		read(ForwardedCertificateFormat.TRAEFIK, null, input);
	}

	// The input is the value of the format's first header and, after a NUL, of its
	// second (RFC 9440's chain).
	private static void read(ForwardedCertificateFormat format, ForwardedCertificateEncoding encoding, byte[] input) {
		List<String> names = format.getDefaultHeaders().isEmpty() ? List.of("x-client-cert")
				: format.getDefaultHeaders();
		ForwardedCertificateReader reader = ForwardedCertificateReader.of(format, names, encoding, 1);
		// Header values reach the application as ISO-8859-1 at most.
		String text = new String(input, StandardCharsets.ISO_8859_1);
		int split = text.indexOf('\0');
		ForwardedHeaderValues headers = (split >= 0 && names.size() > 1) ? ForwardedHeaderValues.of(names.get(0),
				text.substring(0, split), names.get(1), text.substring(split + 1))
				: ForwardedHeaderValues.of(names.get(0), text);
		try {
			List<X509Certificate> chain = reader.read(headers);
			assertThat(chain).doesNotContainNull();
		}
		catch (MalformedForwardedCertificateException ex) {
			assertThat(ex.getMessage()).doesNotContain("\n").doesNotContain("\r");
		}
	}

}
