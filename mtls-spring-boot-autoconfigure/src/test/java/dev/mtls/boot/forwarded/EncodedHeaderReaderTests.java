package dev.mtls.boot.forwarded;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EncodedHeaderReader}: the nginx, ALB, Traefik and generic formats.
 */
class EncodedHeaderReaderTests {

	private static final TestCertificateAuthority authority = TestCertificateAuthority.create();

	private static final TestCertificate alice = authority.client("alice");

	private static final TestCertificate bob = authority.client("bob");

	@AfterAll
	static void close() {
		authority.close();
	}

	@Test
	void nginxWhenEscapedCertificateThenLeaf() throws Exception {
		ForwardedCertificateReader reader = reader(ForwardedCertificateFormat.NGINX);

		assertThat(
				reader.read(headers("ssl-client-cert", ForwardedHeaderValues.urlPem(List.of(alice.getCertificate())))))
			.containsExactly(alice.getCertificate());
	}

	@Test
	void nginxWhenEmptyThenNoCertificate() throws Exception {
		// nginx sends an empty $ssl_client_escaped_cert when the client sent none.
		assertThat(reader(ForwardedCertificateFormat.NGINX).read(headers("ssl-client-cert", ""))).isEmpty();
	}

	@Test
	void nginxWhenTwoCertificatesThenMalformed() {
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert",
				ForwardedHeaderValues.urlPem(List.of(alice.getCertificate(), bob.getCertificate())),
				"2 certificates where the proxy sends");
	}

	@Test
	void nginxWhenHeaderSentTwiceThenMalformed() {
		String value = ForwardedHeaderValues.urlPem(List.of(alice.getCertificate()));

		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> reader(ForwardedCertificateFormat.NGINX)
				.read(ForwardedHeaderValues.of("ssl-client-cert", value, "SSL-Client-Cert", value)))
			.withMessageContaining("sent 2 times");
	}

	@Test
	void albWhenLeafHeaderThenLeafWithPlusSignsKept() throws Exception {
		String value = ForwardedHeaderValues.albUrlPem(List.of(alice.getCertificate()));

		assertThat(reader(ForwardedCertificateFormat.ALB).read(headers("X-Amzn-Mtls-Clientcert-Leaf", value)))
			.containsExactly(alice.getCertificate());
	}

	@Test
	void albWhenChainHeaderThenChain() throws Exception {
		String value = ForwardedHeaderValues.albUrlPem(alice.getChain());

		assertThat(reader(ForwardedCertificateFormat.ALB).read(headers("X-Amzn-Mtls-Clientcert", value)))
			.isEqualTo(alice.getChain());
	}

	@Test
	void albWhenBothHeadersThenMalformed() {
		HeaderValues headers = ForwardedHeaderValues.of("X-Amzn-Mtls-Clientcert-Leaf",
				ForwardedHeaderValues.albUrlPem(List.of(alice.getCertificate())), "X-Amzn-Mtls-Clientcert",
				ForwardedHeaderValues.albUrlPem(bob.getChain()));

		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> reader(ForwardedCertificateFormat.ALB).read(headers))
			.withMessageContaining("both X-Amzn-Mtls-Clientcert-Leaf and X-Amzn-Mtls-Clientcert");
	}

	@Test
	void traefikWhenEscapedOrPlainListThenChain() throws Exception {
		String plain = ForwardedHeaderValues.base64Der(alice.getChain().get(0)) + ","
				+ ForwardedHeaderValues.base64Der(alice.getChain().get(1));
		String escaped = plain.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D").replace(",", "%2C");
		ForwardedCertificateReader reader = reader(ForwardedCertificateFormat.TRAEFIK);

		assertThat(reader.read(headers("X-Forwarded-Tls-Client-Cert", plain))).isEqualTo(alice.getChain());
		assertThat(reader.read(headers("X-Forwarded-Tls-Client-Cert", escaped))).isEqualTo(alice.getChain());
	}

	@Test
	void headerWhenBase64DerThenLeaf() throws Exception {
		ForwardedCertificateReader reader = ForwardedCertificateReader.of(ForwardedCertificateFormat.HEADER,
				List.of("X-SSL-Client-Cert"), ForwardedCertificateEncoding.BASE64_DER, 1);

		assertThat(reader.read(headers("x-ssl-client-cert", ForwardedHeaderValues.base64Der(alice.getCertificate()))))
			.containsExactly(alice.getCertificate());
	}

	@Test
	void headerWhenPemWithSpacesForLineBreaksThenChain() throws Exception {
		ForwardedCertificateReader reader = ForwardedCertificateReader.of(ForwardedCertificateFormat.HEADER,
				List.of("X-Client-Cert"), ForwardedCertificateEncoding.PEM, 1);

		assertThat(
				reader.read(headers("X-Client-Cert", ForwardedHeaderValues.pem(alice.getChain()).replace('\n', ' '))))
			.isEqualTo(alice.getChain());
	}

	@Test
	void headerWhenTruncatedPemThenMalformed() {
		// Cut before encoding, so that the cut never splits a %XX escape.
		String pem = ForwardedHeaderValues.pem(alice.getChain());

		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert",
				ForwardedHeaderValues.urlEncode(pem.substring(0, pem.length() - 40)), "truncated");
	}

	@Test
	void headerWhenBrokenEscapeThenMalformed() {
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert", "-----BEGIN%2", "broken URL encoding");
	}

	@Test
	void headerWhenGarbageThenMalformed() {
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert", "hello", "no PEM certificate");
		assertMalformed(ForwardedCertificateFormat.TRAEFIK, "X-Forwarded-Tls-Client-Cert", "aGVsbG8=",
				"not a DER certificate");
		assertMalformed(ForwardedCertificateFormat.TRAEFIK, "X-Forwarded-Tls-Client-Cert", "***", "not base64");
	}

	@Test
	void headerWhenDerFollowedByBytesThenMalformed() {
		byte[] der = ForwardedHeaderValues.der(alice.getCertificate());
		byte[] longer = Arrays.copyOf(der, der.length + 3);

		assertMalformed(ForwardedCertificateFormat.TRAEFIK, "X-Forwarded-Tls-Client-Cert",
				Base64.getEncoder().encodeToString(longer), "3 bytes follow");
	}

	@Test
	void headerWhenNonAsciiThenMalformed() {
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert", "-----BEGIN%C3%A9", "not ASCII");
	}

	@Test
	void headerWhenTooManyCertificatesThenMalformed() {
		String value = (ForwardedHeaderValues.base64Der(alice.getCertificate()) + ",")
			.repeat(CertificateDecoding.MAX_CERTIFICATES) + ForwardedHeaderValues.base64Der(alice.getCertificate());

		assertMalformed(ForwardedCertificateFormat.TRAEFIK, "X-Forwarded-Tls-Client-Cert", value,
				"more than 10 certificates");
	}

	@Test
	void headerWhenRunsOfDashesOrBlanksOrLongLinesThenMalformedAtOnce() {
		// Shapes that would make the PEM regular expressions backtrack for seconds.
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert", "-".repeat(60_000) + "BEGIN%20",
				"not PEM");
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert",
				"-----BEGIN%20CERTIFICATE-----" + "%0A".repeat(20_000) + "MIIB", "not PEM");
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert",
				"-----BEGIN%20CERTIFICATE-----%0A" + "A".repeat(50_000), "not PEM");
	}

	@Test
	void headerWhenOversizedThenMalformed() {
		assertMalformed(ForwardedCertificateFormat.NGINX, "ssl-client-cert",
				"x".repeat(CertificateDecoding.MAX_HEADER_CHARACTERS + 1), "longer than 65536 characters");
	}

	private static ForwardedCertificateReader reader(ForwardedCertificateFormat format) {
		return ForwardedCertificateReader.of(format, List.of(), null, 1);
	}

	private static HeaderValues headers(String name, String value) {
		return ForwardedHeaderValues.of(name, value);
	}

	private static void assertMalformed(ForwardedCertificateFormat format, String header, String value, String reason) {
		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> reader(format).read(headers(header, value)))
			.withMessageStartingWith(header + ": ")
			.withMessageContaining(reason);
	}

}
