package dev.mtls.boot.forwarded;

import java.util.Collections;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Rfc9440Reader}.
 */
class Rfc9440ReaderTests {

	private static final TestCertificateAuthority authority = TestCertificateAuthority.create();

	private static final TestCertificate alice = authority.client("alice");

	private final Rfc9440Reader reader = new Rfc9440Reader("Client-Cert", "Client-Cert-Chain");

	@AfterAll
	static void close() {
		authority.close();
	}

	@Test
	void readWhenClientCertThenLeaf() throws Exception {
		assertThat(this.reader.read(ForwardedHeaderValues.of("client-cert",
				":" + ForwardedHeaderValues.base64Der(alice.getCertificate()) + ":")))
			.containsExactly(alice.getCertificate());
	}

	@Test
	void readWhenClientCertAndChainThenWholeChain() throws Exception {
		HeaderValues headers = ForwardedHeaderValues.of("Client-Cert",
				":" + ForwardedHeaderValues.base64Der(alice.getChain().get(0)) + ":", "Client-Cert-Chain",
				":" + ForwardedHeaderValues.base64Der(alice.getChain().get(1)) + ":");

		assertThat(this.reader.read(headers)).isEqualTo(alice.getChain());
	}

	@Test
	void readWhenChainOnSeveralLinesThenOneList() throws Exception {
		String issuing = ":" + ForwardedHeaderValues.base64Der(alice.getChain().get(1)) + ":";
		HeaderValues headers = ForwardedHeaderValues.of("Client-Cert",
				":" + ForwardedHeaderValues.base64Der(alice.getCertificate()) + ":", "Client-Cert-Chain",
				issuing + ", " + issuing, "Client-Cert-Chain", issuing);

		assertThat(this.reader.read(headers)).hasSize(4);
	}

	@Test
	void readWhenNeitherThenNoCertificate() throws Exception {
		assertThat(this.reader.read(ForwardedHeaderValues.of())).isEmpty();
	}

	@Test
	void readWhenEmptyByteSequenceThenNoCertificate() throws Exception {
		// What HAProxy's ":%[ssl_c_der,base64]:" writes for a client without a
		// certificate.
		assertThat(this.reader.read(ForwardedHeaderValues.of("Client-Cert", "::"))).isEmpty();
	}

	@Test
	void readWhenChainWithoutClientCertThenMalformed() {
		assertMalformed(
				ForwardedHeaderValues.of("Client-Cert-Chain",
						":" + ForwardedHeaderValues.base64Der(alice.getCertificate()) + ":"),
				"Client-Cert-Chain without Client-Cert");
	}

	@Test
	void readWhenNotAByteSequenceThenMalformed() {
		assertMalformed(
				ForwardedHeaderValues.of("Client-Cert", ForwardedHeaderValues.base64Der(alice.getCertificate())),
				"Client-Cert: not a structured-field byte sequence");
		assertMalformed(
				ForwardedHeaderValues.of("Client-Cert",
						":" + ForwardedHeaderValues.base64Der(alice.getCertificate()) + ":;a=1"),
				"not a structured-field byte sequence");
	}

	@Test
	void readWhenClientCertTwiceThenMalformed() {
		String leaf = ":" + ForwardedHeaderValues.base64Der(alice.getCertificate()) + ":";

		assertMalformed(ForwardedHeaderValues.of("Client-Cert", leaf, "Client-Cert", leaf), "sent 2 times");
	}

	@Test
	void readWhenChainTooLongThenMalformed() {
		String issuing = ":" + ForwardedHeaderValues.base64Der(alice.getChain().get(1)) + ":";
		HeaderValues headers = ForwardedHeaderValues.of("Client-Cert",
				":" + ForwardedHeaderValues.base64Der(alice.getCertificate()) + ":", "Client-Cert-Chain",
				String.join(",", Collections.nCopies(10, issuing)));

		assertMalformed(headers, "more than 10 certificates");
	}

	private void assertMalformed(HeaderValues headers, String reason) {
		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> this.reader.read(headers))
			.withMessageContaining(reason);
	}

}
