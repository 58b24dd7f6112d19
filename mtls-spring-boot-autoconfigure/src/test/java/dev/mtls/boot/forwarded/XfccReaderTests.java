package dev.mtls.boot.forwarded;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.mtls.boot.identity.AttestedCertificate;
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

	private final XfccReader reader = new XfccReader(XFCC, 1, false);

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
	void readForwardedWhenProxyVerificationTrustedThenEnvoysExampleWithRepeatedDnsIsAttested() throws Exception {
		// Envoy's documented example, with the subject in RFC 2253 as Envoy writes it.
		String header = "By=http://frontend.lyft.com;Hash=468ED33BE74EEE6556D90C0149C1309E9BA61D6425303443C0748A02DD8DE688;Subject=\"CN=Test Client,OU=Lyft,L=San Francisco,ST=CA,C=US\";URI=http://testclient.lyft.com;DNS=lyft.com;DNS=www.lyft.com";

		ForwardedCertificateReader.ForwardedChain forwarded = new XfccReader(XFCC, 1, true)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header));

		assertThat(forwarded.chain()).isEmpty();
		assertThat(forwarded.attested())
			.isEqualTo(new AttestedCertificate("468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688",
					"CN=Test Client,OU=Lyft,L=San Francisco,ST=CA,C=US", List.of("lyft.com", "www.lyft.com"),
					List.of("http://testclient.lyft.com")));
	}

	@Test
	void readForwardedWhenProxyVerificationTrustedThenIstiosElementIsAttested() throws Exception {
		// As Istio's sidecar writes it: an empty subject, the SPIFFE ID, and an empty
		// DNS for a certificate without DNS names.
		String header = "By=spiffe://cluster.local/ns/default/sa/server;Hash=" + "ab".repeat(32)
				+ ";Subject=\"\";URI=spiffe://cluster.local/ns/default/sa/client;DNS=";

		AttestedCertificate attested = new XfccReader(XFCC, 1, true)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header))
			.attested();

		assertThat(attested).isEqualTo(new AttestedCertificate("ab".repeat(32), "", List.of(),
				List.of("spiffe://cluster.local/ns/default/sa/client")));
	}

	@Test
	void readForwardedWhenAttestedSubjectHasOpenSslNamesThenRead() throws Exception {
		String header = "Hash=" + "ab".repeat(32)
				+ ";Subject=\"CN=orders,title=Service,organizationIdentifier=VATDE-123,O=Acme\"";

		AttestedCertificate attested = new XfccReader(XFCC, 1, true)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header))
			.attested();

		assertThat(attested).isNotNull();
		assertThat(attested.subjectPrincipal().getName()).startsWith("CN=orders,2.5.4.12=#").endsWith(",O=Acme");
	}

	@Test
	void readForwardedWhenAttestationSplitByCommaInSanThenMalformed() {
		// A client's URI SAN "spiffe://x,Hash=<64 hex>;URI=spiffe://admin", written
		// unquoted by Envoy.
		String header = "By=spiffe://edge;Hash=" + "ab".repeat(32) + ";URI=spiffe://acme.org/x,Hash=" + "cd".repeat(32)
				+ ";URI=spiffe://acme.org/admin";

		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> new XfccReader(XFCC, 1, true).readForwarded(ForwardedHeaderValues.of(XFCC, header)))
			.withMessage(XFCC + ": 2 elements where mtls.forwarded.hop is 1: "
					+ "an element without Cert or Chain is read only from a header of exactly that many");
	}

	@Test
	void readForwardedWhenSecondHopAttestsThroughProxyCertificateThenAttestedWithFartherProxy() throws Exception {
		String header = "By=spiffe://internal;Hash=" + "ab".repeat(32)
				+ ";URI=spiffe://acme.org/alice,By=spiffe://edge;Cert=" + leaf(bob);

		ForwardedCertificateReader.ForwardedChain forwarded = new XfccReader(XFCC, 2, true)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header));

		assertThat(forwarded.attested()).isNotNull();
		assertThat(forwarded.attested().uris()).containsExactly("spiffe://acme.org/alice");
		assertThat(forwarded.fartherProxies()).containsExactly(List.of(bob.getCertificate()));
	}

	@Test
	void readForwardedWhenProxyVerificationTrustedAndCertPresentThenChainNotAttestation() throws Exception {
		String header = "Hash=" + hash(alice) + ";Cert=" + leaf(alice) + ";URI=spiffe://acme.org/admin";

		ForwardedCertificateReader.ForwardedChain forwarded = new XfccReader(XFCC, 1, true)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header));

		assertThat(forwarded.chain()).containsExactly(alice.getCertificate());
		assertThat(forwarded.attested()).isNull();
	}

	@Test
	void readForwardedWhenAttestationWithoutHashOrWithBadHashOrSubjectThenMalformed() {
		XfccReader trusting = new XfccReader(XFCC, 1, true);
		String hash = "Hash=" + "ab".repeat(32);

		assertAttestationMalformed(trusting, "Subject=\"CN=a\";URI=x:y", "the element has no Cert, Chain or Hash");
		assertAttestationMalformed(trusting, "Hash=12ab;URI=x:y", "Hash is not a SHA-256 fingerprint");
		assertAttestationMalformed(trusting, hash + ";Subject=\"no dn\"",
				"Subject is not an RFC 2253 distinguished name");
		// OpenSSL's one-line form, as in Envoy's documentation: ambiguous, not read.
		assertAttestationMalformed(trusting, hash + ";Subject=\"/C=US/OU=Lyft/CN=Test Client\"",
				"Subject is not an RFC 2253 distinguished name");
		assertAttestationMalformed(trusting, hash + ";Subject=\"CN=a\";Subject=\"CN=b\"",
				"the element has two subject keys");
	}

	@Test
	void readWhenCertAndTwoSubjectsWithoutProxyVerificationThenChain() throws Exception {
		String header = "Cert=" + leaf(alice) + ";Subject=\"CN=a\";Subject=\"CN=b\"";

		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, header))).containsExactly(alice.getCertificate());
	}

	@Test
	void readForwardedWhenFartherHopAndNearerElementOnlyAttestsThenMalformed() {
		String header = "By=spiffe://edge;Cert=" + leaf(alice) + ",By=spiffe://internal;Hash=" + hash(bob)
				+ ";URI=spiffe://acme.org/edge";

		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> new XfccReader(XFCC, 2, true).readForwarded(ForwardedHeaderValues.of(XFCC, header)))
			.withMessageContaining("has no Cert or Chain");
	}

	@Test
	void readWhenTwoElementsThenNearestProxysElement() throws Exception {
		String header = "By=spiffe://edge;Cert=" + leaf(bob) + ",By=spiffe://internal;Cert=" + leaf(alice);

		assertThat(this.reader.read(ForwardedHeaderValues.of(XFCC, header))).containsExactly(alice.getCertificate());
		assertThat(new XfccReader(XFCC, 2, false).read(ForwardedHeaderValues.of(XFCC, header)))
			.containsExactly(bob.getCertificate());
		assertThat(new XfccReader(XFCC, 3, false).read(ForwardedHeaderValues.of(XFCC, header))).isEmpty();
	}

	@Test
	void readForwardedWhenFartherHopThenNearerElementsAreFartherProxies() throws Exception {
		String header = "By=spiffe://edge;Cert=" + leaf(alice) + ",By=spiffe://internal;Cert=" + leaf(bob);

		ForwardedCertificateReader.ForwardedChain forwarded = new XfccReader(XFCC, 2, false)
			.readForwarded(ForwardedHeaderValues.of(XFCC, header));

		assertThat(forwarded.chain()).containsExactly(alice.getCertificate());
		assertThat(forwarded.fartherProxies()).containsExactly(List.of(bob.getCertificate()));
		assertThat(this.reader.readForwarded(ForwardedHeaderValues.of(XFCC, header)).fartherProxies()).isEmpty();
	}

	@Test
	void readForwardedWhenNearerElementHasNoCertificateThenMalformed() {
		String header = "By=spiffe://edge;Cert=" + leaf(alice) + ",By=spiffe://internal;URI=spiffe://acme.org/edge";

		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> new XfccReader(XFCC, 2, false).readForwarded(ForwardedHeaderValues.of(XFCC, header)))
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

	private static void assertAttestationMalformed(XfccReader reader, String header, String reason) {
		assertThatExceptionOfType(MalformedForwardedCertificateException.class)
			.isThrownBy(() -> reader.readForwarded(ForwardedHeaderValues.of(XFCC, header)))
			.withMessage(XFCC + ": " + reason);
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
