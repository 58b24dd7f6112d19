package dev.mtls.boot.test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mtls.boot.identity.CertificateIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemContent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * Each spec method mints the certificate it names.
 */
class TestCertificateSpecTests {

	private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

	static final TestCertificateAuthority ca = TestCertificateAuthority.create();

	@AfterAll
	static void close() {
		ca.close();
	}

	@Test
	void clientWhenCommonNameThenClientCertificateChainedToTheIssuingCa() throws Exception {
		TestCertificate alice = ca.client("alice");
		X509Certificate leaf = alice.getCertificate();
		assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=alice");
		assertThat(leaf.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
		assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
		assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
		assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
		assertThat(alice.getChain()).hasSize(2);
		X509Certificate issuing = alice.getChain().get(1);
		leaf.verify(issuing.getPublicKey());
		issuing.verify(ca.getCaCertificate().getPublicKey());
		assertThat(alice.getIdentity().getName()).isEqualTo("alice");
	}

	@Test
	void clientWhenNamesThenSubjectAlternativeNames() {
		TestCertificate workload = ca.client((spec) -> spec.subject("CN=checkout,OU=shop,O=Acme")
			.spiffeId("spiffe://acme.org/ns/shop/sa/checkout")
			.dnsName("checkout.shop.svc")
			.uri("urn:acme:checkout")
			.email("shop@acme.org")
			.ipAddress("::1"));
		CertificateIdentity identity = workload.getIdentity();
		assertThat(identity.getSubject()).isEqualTo("CN=checkout,OU=shop,O=Acme");
		assertThat(identity.getSpiffeId()).hasToString("spiffe://acme.org/ns/shop/sa/checkout");
		assertThat(identity.getDnsNames()).containsExactly("checkout.shop.svc");
		assertThat(identity.getUris()).containsExactly("spiffe://acme.org/ns/shop/sa/checkout", "urn:acme:checkout");
		assertThat(identity.getEmails()).containsExactly("shop@acme.org");
		assertThat(identity.getIpAddresses()).hasSize(1);
	}

	@Test
	void clientWhenOnlyASpiffeIdThenEmptySubjectAndCriticalAlternativeNames() {
		X509Certificate certificate = ca.client((spec) -> spec.spiffeId("spiffe://acme.org/x")).getCertificate();
		assertThat(certificate.getSubjectX500Principal().getName()).isEmpty();
		assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.17");
	}

	@Test
	void clientWhenNoNameThenFails() {
		assertThatIllegalStateException().isThrownBy(() -> ca.client((spec) -> spec.rsa(2048)))
			.withMessageContaining("needs a name");
	}

	@Test
	void clientWhenValidityChangedThenDates() {
		Instant now = Instant.now();
		assertThat(ca.client((spec) -> spec.commonName("a").expired()).getCertificate().getNotAfter().toInstant())
			.isBefore(now);
		assertThat(ca.client((spec) -> spec.commonName("a").notYetValid()).getCertificate().getNotBefore().toInstant())
			.isAfter(now);
		assertThat(ca.client((spec) -> spec.commonName("a").validFor(Duration.ofMinutes(10)))
			.getCertificate()
			.getNotAfter()
			.toInstant()).isCloseTo(now.plus(Duration.ofMinutes(10)), within(Duration.ofSeconds(5)));
	}

	@Test
	void clientWhenUntrustedThenIssuedByAnotherCa() {
		TestCertificate untrusted = ca.client((spec) -> spec.commonName("alice").untrusted());
		assertThat(untrusted.getCertificate().getIssuerX500Principal().getName())
			.isEqualTo("CN=mtls Untrusted Test CA");
		assertThat(untrusted.getChain()).hasSize(1);
		assertThatIllegalArgumentException().isThrownBy(() -> ca.revoke(untrusted));
	}

	@Test
	void revokeWhenPersonaOfAnotherTestCaWithTheSameNamesThenRefused() {
		try (TestCertificateAuthority other = TestCertificateAuthority.create()) {
			TestCertificate stranger = other.client("alice");
			assertThat(stranger.getCertificate().getIssuerX500Principal())
				.isEqualTo(ca.client("alice").getCertificate().getIssuerX500Principal());

			assertThatIllegalArgumentException().isThrownBy(() -> ca.revoke(stranger))
				.withMessageContaining("not issued by this test CA");
		}
	}

	@Test
	void clientWhenUsageKeyAndSignatureChangedThenCertificateHasThem() throws Exception {
		assertThat(ca.client((spec) -> spec.commonName("a").withoutClientAuthUsage())
			.getCertificate()
			.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
		assertThat(((RSAPublicKey) ca.client((spec) -> spec.commonName("a").rsa(1024)).getCertificate().getPublicKey())
			.getModulus()
			.bitLength()).isEqualTo(1024);
		assertThat(ca.client((spec) -> spec.commonName("a").sha1()).getCertificate().getSigAlgName())
			.isEqualTo("SHA1withECDSA");
		assertThat(ca.client((spec) -> spec.commonName("a").caCertificate()).getCertificate().getBasicConstraints())
			.isNotNegative();
	}

	@Test
	void specWhenBadValueThenFailsNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> ca.client((spec) -> spec.spiffeId("https://x")))
			.withMessageContaining("spiffe://");
		assertThatIllegalArgumentException().isThrownBy(() -> ca.client((spec) -> spec.validFor(Duration.ZERO)))
			.withMessageContaining("validity");
	}

	@Test
	void revokeWhenRevokedThenOnTheCrl() throws Exception {
		TestCertificate bob = ca.client("bob");
		ca.revoke(bob);
		List<?> crls = CertificateFactory.getInstance("X.509")
			.generateCRLs(new ByteArrayInputStream(ca.getCrlPem().getBytes()))
			.stream()
			.toList();
		assertThat(crls).singleElement()
			.satisfies((crl) -> assertThat(((X509CRL) crl).isRevoked(bob.getCertificate())).isTrue());
	}

	@Test
	void sslBundleWhenCreatedThenPresentsTheChainAndTrustsTheRoot() throws Exception {
		TestCertificate alice = ca.client("alice");
		SslBundle bundle = alice.sslBundle();
		assertThat(bundle.getStores().getKeyStore().getCertificateChain("client")).hasSize(2);
		assertThat(bundle.getStores().getTrustStore().getCertificate("mtls-test-root"))
			.isEqualTo(ca.getCaCertificate());
		assertThat(bundle.createSslContext().getProtocol()).isEqualTo("TLS");
		assertThat(alice.getKeyStore("secret").getType()).isEqualTo("PKCS12");
		assertThat(alice.getCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(alice.getPrivateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
		String encrypted = alice.getEncryptedPrivateKeyPem("secret");
		assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
		assertThat(PemContent.of(encrypted).getPrivateKey("secret").getEncoded())
			.isEqualTo(alice.getPrivateKey().getEncoded());
	}

	@Test
	void restClientWhenNoServerThenFailsSayingWhatIsNeeded() {
		assertThatIllegalStateException().isThrownBy(() -> ca.client("alice").restClient())
			.withMessageContaining("RANDOM_PORT");
	}

}
