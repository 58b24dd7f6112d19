package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.mtls.boot.identity.CertificateFingerprint;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link XfccReader}, with the header as Envoy documents and writes it.
 */
class XfccReaderTests {

	private static final String XFCC = "x-forwarded-client-cert";

	private static final TestCertificateAuthority authority = TestCertificateAuthority.create();

	private static final TestCertificate alice = authority.client("alice");

	private static final TestCertificate bob = authority.client("bob");

	private final XfccReader reader = new XfccReader(XFCC, 1);

	@AfterAll
	static void close() {
		authority.close();
	}

	@Test
	void readWhenCertKeyThenLeaf() throws Exception {
		String header = "By=spiffe://acme.org/ns/edge/sa/envoy;Hash=" + hash(alice) + ";Cert=\"" + leaf(alice)
				+ "\";Subject=\"/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client\";URI=spiffe://acme.org/alice;DNS=lyft.com;DNS=www.lyft.com";

		List<X509Certificate> chain = this.reader.read(ForwardedHeaderValues.of(XFCC, header));

		assertThat(chain).containsExactly(alice.getCertificate());
	}

	@Test
	void readWhenChainKeyThenWholeChain() throws Exception {
		String header = "By=spiffe://acme.org/edge;Chain=" + ForwardedHeaderValues.urlPem(alice.getChain());

		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, header))).isEqualTo(alice.getChain());
	}

	@Test
	void readWhenCertAndChainThenChain() throws Exception {
		String header = "Cert=" + leaf(alice) + ";Chain=" + ForwardedHeaderValues.urlPem(alice.getChain());

		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, header))).isEqualTo(alice.getChain());
	}

	@Test
	void readWhenOnlyHashSubjectAndNamesThenMalformed() {
		// Envoy's documented example: nothing that can be validated.
		String header = "By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject=\"/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client\";URI=http://testclient.lyft.com";

		assertMalformed(header, "has no Cert or Chain");
	}

	@Test
	void readWhenTwoElementsThenNearestProxysElement() throws Exception {
		String header = "By=spiffe://edge;Cert=" + leaf(bob) + ",By=spiffe://internal;Cert=" + leaf(alice);

		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, header))).containsExactly(alice.getCertificate());
		assertThat(new XfccReader(XFCC, 2).read(ForwardedHeaderValues.of(XFCC, header)))
			.containsExactly(bob.getCertificate());
		assertThat(new XfccReader(XFCC, 3).read(ForwardedHeaderValues.of(XFCC, header))).isEmpty();
	}

	@Test
	void readForwardedWhenFartherHopThenNearerElementsAreFartherProxies() throws Exception {
		String header = "By=spiffe://edge;Cert=" + leaf(alice) + ",By=spiffe://internal;Cert=" + leaf(bob);

		ForwardedCertificateReader.ForwardedChain forwarded = new XfccReader(XFCC, 2)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header));

		assertThat(forwarded.chain()).containsExactly(alice.getCertificate());
		assertThat(forwarded.fartherProxies()).containsExactly(List.of(bob.getCertificate()));
		assertThat(this.reader.readForwarded(ForwardedHeaderValues.of(XFCC, header)).fartherProxies()).isEmpty();
	}

	@Test
	void readForwardedWhenNearerElementHasNoCertificateThenMalformed() {
		String header = "By=spiffe://edge;Cert=" + leaf(alice) + ",By=spiffe://internal;URI=spiffe://acme.org/edge";

		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> new XfccReader(XFCC, 2).readForwarded(ForwardedHeaderValues.of(XFCC, header)))
			.withMessageContaining("has no Cert or Chain");
	}

	@Test
	void readWhenHeaderRepeatedThenOneListOfElements() throws Exception {
		HeaderValues headers = ForwardedHeaderValues.of(XFCC, "Cert=" + leaf(bob), XFCC, "Cert=" + leaf(alice));

		assertThat(this.reader.read(headers)).containsExactly(alice.getCertificate());
	}

	@Test
	void readWhenQuotedValuesHoldSeparatorsAndEscapedQuotesThenParsed() throws Exception {
		String header = "Subject=\"/CN=a \\\"quoted\\\", name;with=signs\";cert=\"" + leaf(alice)
				+ "\";URI=spiffe://acme.org/a;DNS=a.example;DNS=b.example";

		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, header))).containsExactly(alice.getCertificate());
	}

	@Test
	void readWhenEmptyThenNoCertificate() throws Exception {
		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, " "))).isEmpty();
		assertThat(this.reader.read(ForwardedHeaderValues.of())).isEmpty();
	}

	@Test
	void readWhenHashIsNotTheCertificatesThenMalformed() {
		assertMalformed("Hash=" + hash(bob) + ";Cert=" + leaf(alice), "Hash is not the SHA-256");
	}

	@Test
	void readWhenCertIsNotTheChainsLeafThenMalformed() {
		assertMalformed("Cert=" + leaf(bob) + ";Chain=" + ForwardedHeaderValues.urlPem(alice.getChain()),
				"Cert is not the first");
	}

	@Test
	void readWhenCertHoldsTwoCertificatesThenMalformed() {
		assertMalformed("Cert=" + ForwardedHeaderValues.urlPem(List.of(alice.getCertificate(), bob.getCertificate())),
				"Cert holds 2 certificates");
	}

	@Test
	void readWhenCertKeyTwiceThenMalformed() {
		assertMalformed("Cert=" + leaf(alice) + ";Cert=" + leaf(bob), "two cert keys");
	}

	@Test
	void readWhenQuoteNotClosedThenMalformed() {
		assertMalformed("Subject=\"/CN=a;Cert=" + leaf(alice), "quoted value is not closed");
	}

	@Test
	void readWhenPairHasNoKeyThenMalformed() {
		assertMalformed("Cert=" + leaf(alice) + ";garbage", "is not key=value");
	}

	@Test
	void readWhenPemTruncatedThenMalformed() {
		// Cut before encoding, so that the cut never splits a %XX escape.
		String pem = ForwardedHeaderValues.pem(List.of(alice.getCertificate()));

		assertMalformed("Cert=" + ForwardedHeaderValues.urlEncode(pem.substring(0, pem.length() / 2)), "truncated");
	}

	@Test
	void readWhenTooManyElementsThenMalformed() {
		String header = ("By=x;Cert=" + leaf(alice) + ",").repeat(2) + "By=y,".repeat(XfccReader.MAX_ELEMENTS);

		assertMalformed(header, "more than 32 elements");
	}

	@Test
	void readWhenOversizedThenMalformed() {
		String header = "Cert=" + leaf(alice) + ";Subject=\"" + "x".repeat(CertificateDecoding.MAX_HEADER_CHARACTERS)
				+ "\"";

		assertMalformed(header, ": longer than 65536 characters");
	}

	private void assertMalformed(String header, String reason) {
		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> this.reader.read(ForwardedHeaderValues.of(XFCC, header)))
			.withMessageStartingWith(XFCC + ": ")
			.withMessageContaining(reason);
	}

	private static String leaf(TestCertificate persona) {
		return ForwardedHeaderValues.urlPem(List.of(persona.getCertificate()));
	}

	private static String hash(TestCertificate persona) {
		return CertificateFingerprint.sha256(persona.getCertificate());
	}

}
