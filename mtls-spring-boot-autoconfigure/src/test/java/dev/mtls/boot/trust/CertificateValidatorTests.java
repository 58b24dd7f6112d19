package dev.mtls.boot.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.CertificateRequest;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CertificateValidator}: each policy rule, CRL handling, server name
 * checks and the verdict cache, without a server.
 */
@ExtendWith(OutputCaptureExtension.class)
class CertificateValidatorTests {

	private static final Duration DAY = Duration.ofDays(1);

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private final MutableClock clock = new MutableClock(this.now);

	private final CertificateAuthority ca = CertificateAuthority.create("Validator Test CA");

	private final CertificateAuthority partner = CertificateAuthority.create("Validator Test Partner CA");

	@Test
	void validateClientWhenIssuedByTrustedCaThenReturnsPathLeafFirst() throws Exception {
		CertificateAuthority intermediate = intermediate(this.ca, "Validator Test Intermediate");
		IssuedCertificate alice = intermediate.certificate("alice").clientAuth().issue();

		List<X509Certificate> path = validator(CertificatePolicy.DEFAULT).validateClient(alice.getChain());

		assertThat(path).containsExactly(alice.getCertificate(), intermediate.getCertificate());
	}

	@Test
	void validateClientWhenEmptyChainThenRefused() {
		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(List.of()), Reason.UNTRUSTED,
				"No certificate presented");
	}

	@Test
	void ofWhenNoTrustedCertificateThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CertificateValidator.of(List.of(), List.of(), CertificatePolicy.DEFAULT, this.clock))
			.withMessage("At least one trusted certificate is required");
	}

	@Test
	void validateClientWhenRsaKeyBelowMinimumThenRefused() {
		IssuedCertificate weak = this.ca.certificate("weak").clientAuth().rsa(1024).issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(weak.getChain()), Reason.POLICY,
				"has a 1024-bit RSA key; at least 2048 bits");
	}

	@Test
	void validateClientWhenRsaKeyAtMinimumThenAccepted() throws Exception {
		IssuedCertificate rsa = this.ca.certificate("rsa").clientAuth().rsa(2048).issue();

		assertThat(validator(CertificatePolicy.DEFAULT).validateClient(rsa.getChain()))
			.startsWith(rsa.getCertificate());
	}

	@Test
	void validateClientWhenEcKeyBelowMinimumThenRefused() {
		IssuedCertificate p256 = this.ca.certificate("p256").clientAuth().issue();
		CertificatePolicy policy = new CertificatePolicy(true, 2048, 384, false, 5, true, true);

		assertRefused(() -> validator(policy).validateClient(p256.getChain()), Reason.POLICY,
				"has a 256-bit EC key; at least 384 bits are required");
	}

	@Test
	void validateClientWhenSignedWithSha1ThenRefused() {
		IssuedCertificate sha1 = this.ca.certificate("sha1").clientAuth().signatureAlgorithm("SHA1withECDSA").issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(sha1.getChain()), Reason.POLICY,
				"is signed with SHA1withECDSA; SHA-1 and weaker are refused");
	}

	@Test
	void validateClientWhenSignedWithSha1AndAllowSha1ThenAccepted() throws Exception {
		IssuedCertificate sha1 = this.ca.certificate("sha1").clientAuth().signatureAlgorithm("SHA1withECDSA").issue();
		CertificatePolicy policy = new CertificatePolicy(true, 2048, 256, true, 5, true, true);

		assertThat(validator(policy).validateClient(sha1.getChain())).startsWith(sha1.getCertificate());
	}

	@Test
	void validateClientWhenOnlyServerAuthUsageThenRefused() {
		IssuedCertificate server = this.ca.certificate("server").serverAuth().issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(server.getChain()), Reason.POLICY,
				"without clientAuth");
	}

	@Test
	void validateClientWhenOnlyServerAuthUsageAndUsageNotRequiredThenAccepted() throws Exception {
		IssuedCertificate server = this.ca.certificate("server").serverAuth().issue();
		CertificatePolicy policy = new CertificatePolicy(false, 2048, 256, false, 5, true, true);

		assertThat(validator(policy).validateClient(server.getChain())).startsWith(server.getCertificate());
	}

	@Test
	void validateClientWhenNoExtendedKeyUsageThenAccepted() throws Exception {
		IssuedCertificate plain = this.ca.certificate("plain").issue();

		assertThat(validator(CertificatePolicy.DEFAULT).validateClient(plain.getChain()))
			.startsWith(plain.getCertificate());
	}

	@Test
	void validateServerWhenOnlyClientAuthUsageThenRefused() {
		IssuedCertificate client = this.ca.certificate("localhost").dnsNames("localhost").clientAuth().issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateServer(client.getChain(), "localhost"),
				Reason.POLICY, "without serverAuth");
	}

	@Test
	void validateClientWhenExpiredThenRefused() {
		IssuedCertificate expired = this.ca.certificate("expired")
			.clientAuth()
			.validity(this.now.minus(Duration.ofDays(30)), this.now.minus(DAY))
			.issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(expired.getChain()), Reason.EXPIRED,
				"is not valid at " + this.now);
	}

	@Test
	void validateClientWhenNotYetValidThenRefused() {
		IssuedCertificate early = this.ca.certificate("early")
			.clientAuth()
			.validity(this.now.plus(DAY), this.now.plus(Duration.ofDays(30)))
			.issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(early.getChain()), Reason.EXPIRED,
				"is not valid at " + this.now);
	}

	@Test
	void validateClientWhenTrustAnchorExpiredThenRefused() {
		CertificateAuthority expiredRoot = CertificateAuthority.selfSigned("Expired Root")
			.ca()
			.validity(this.now.minus(Duration.ofDays(30)), this.now.minus(DAY))
			.issue()
			.asCertificateAuthority();
		IssuedCertificate alice = expiredRoot.certificate("alice").clientAuth().issue();
		CertificateValidator validator = CertificateValidator.of(List.of(expiredRoot.getCertificate()), List.of(),
				CertificatePolicy.DEFAULT, this.clock);

		assertRefused(() -> validator.validateClient(alice.getChain()), Reason.EXPIRED, "The trust anchor");
	}

	@Test
	void validateClientWhenIssuedByUntrustedCaThenRefused() {
		IssuedCertificate stranger = CertificateAuthority.create("Stranger CA")
			.certificate("alice")
			.clientAuth()
			.issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(stranger.getChain()), Reason.UNTRUSTED,
				"has no valid path to a trusted CA");
	}

	@Test
	void validateClientWhenMoreCertificatesPresentedThanAnyPathMayHoldThenRefusedBeforePathBuilding() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		List<X509Certificate> tenCertificates = new ArrayList<>(alice.getChain());
		while (tenCertificates.size() < 10) {
			tenCertificates.add(this.ca.getCertificate());
		}
		List<X509Certificate> elevenCertificates = new ArrayList<>(tenCertificates);
		elevenCertificates.add(this.ca.getCertificate());

		assertThat(validator(CertificatePolicy.DEFAULT).validateClient(tenCertificates))
			.startsWith(alice.getCertificate());
		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(elevenCertificates), Reason.POLICY,
				"Presented 11 certificates, more than 10 (twice mtls.policy.max-chain-length, at least 10)");
	}

	@Test
	void maxPresentedCertificatesWhenChainLengthUnlimitedThenUnlimited() {
		CertificatePolicy unlimited = CertificatePolicy.DEFAULT.withMaxChainLength(Integer.MAX_VALUE);

		assertThat(validator(unlimited).maxPresentedCertificates()).isEqualTo(Integer.MAX_VALUE);
		assertThat(validator(CertificatePolicy.DEFAULT.withMaxChainLength(8)).maxPresentedCertificates()).isEqualTo(16);
	}

	@Test
	void validateClientWhenSelfSignedThenRefused() {
		IssuedCertificate self = CertificateAuthority.selfSigned("alice").clientAuth().issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateClient(self.getChain()), Reason.UNTRUSTED,
				"has no valid path to a trusted CA");
	}

	// As today: a CA certificate presented as the leaf passes (x509-limbo's
	// webpki::ca-as-leaf
	// is among the counted wrong accepts); an end entity may not sign certificates.
	@Test
	void validateClientWhenLeafIsCaCertificateThenAcceptedAsToday() throws Exception {
		IssuedCertificate subCa = this.ca.certificate("sub CA").ca().issue();

		assertThat(validator(CertificatePolicy.DEFAULT).validateClient(subCa.getChain()))
			.startsWith(subCa.getCertificate());
	}

	@Test
	void validateClientWhenPathLongerThanMaxChainLengthThenRefused() {
		IssuedCertificate alice = deepLeaf();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT.withMaxChainLength(2)).validateClient(alice.getChain()),
				Reason.UNTRUSTED, "has no valid path to a trusted CA");
	}

	@Test
	void validateClientWhenPathAsLongAsMaxChainLengthThenAccepted() throws Exception {
		IssuedCertificate alice = deepLeaf();

		assertThat(validator(CertificatePolicy.DEFAULT.withMaxChainLength(3)).validateClient(alice.getChain()))
			.hasSize(3);
	}

	@Test
	void validateClientWhenLeafRevokedThenRefused() {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, crl(this.ca.crl(DAY, alice)));

		assertRefused(() -> validator.validateClient(alice.getChain()), Reason.REVOKED,
				"is revoked by the CRL of 'CN=Validator Test CA'");
	}

	@Test
	void validateClientWhenIntermediateRevokedThenRefused() {
		CertificateAuthority intermediate = intermediate(this.ca, "Revoked Intermediate");
		IssuedCertificate alice = intermediate.certificate("alice").clientAuth().issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT,
				crl(this.ca.crl(DAY, intermediate.asIssued())));

		assertRefused(() -> validator.validateClient(alice.getChain()), Reason.REVOKED,
				"certificate 'CN=Revoked Intermediate'");
	}

	@Test
	void validateClientWhenCrlRevokesAnotherCertificateThenAccepted() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		IssuedCertificate bob = this.ca.certificate("bob").clientAuth().issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, crl(this.ca.crl(DAY, bob)));

		assertThat(validator.validateClient(alice.getChain())).startsWith(alice.getCertificate());
	}

	@Test
	void validateClientWhenCrlOfUnrelatedIssuerListsLeafSerialThenIgnored() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		CertificateAuthority other = CertificateAuthority.create("Other CA");
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, crl(other.crl(DAY, alice)));

		assertThat(validator.validateClient(alice.getChain())).startsWith(alice.getCertificate());
	}

	@Test
	void validateClientWhenCrlNamesIssuerAndItsKeyButIsSignedByAnotherThenRefused() throws Exception {
		// No authority key identifier to say it is another CA's: a forged or damaged CRL.
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		CertificateAuthority impostor = CertificateAuthority.create("Validator Test CA");
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT,
				List.of(crlWithoutKeyIdentifier(impostor)));

		assertRefused(() -> validator.validateClient(alice.getChain()), Reason.REVOKED,
				"The CRL of 'CN=Validator Test CA' has a bad signature");
	}

	@Test
	void validateClientWhenCrlNamesIssuerButAnotherKeyThenNotUsedAndLoggedOnce(CapturedOutput output) throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		IssuedCertificate bob = this.ca.certificate("bob").clientAuth().issue();
		CertificateAuthority other = CertificateAuthority.create("Validator Test CA");
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, crl(other.crl(DAY, alice, bob)));

		assertThat(validator.validateClient(alice.getChain())).startsWith(alice.getCertificate());
		assertThat(validator.validateClient(bob.getChain())).startsWith(bob.getCertificate());
		assertThat(output.getOut().split("names another key than that of", -1)).hasSize(2);
	}

	@Test
	void validateClientWhenTwoTrustedCasShareANameThenEachCertificateCheckedByItsIssuersCrl() throws Exception {
		// A CA re-keyed during a rollover: both keys trusted, both CRLs configured.
		CertificateAuthority rekeyed = CertificateAuthority.create("Validator Test CA");
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		IssuedCertificate bob = this.ca.certificate("bob").clientAuth().issue();
		IssuedCertificate carol = rekeyed.certificate("carol").clientAuth().issue();
		IssuedCertificate dave = rekeyed.certificate("dave").clientAuth().issue();
		List<X509CRL> crls = new ArrayList<>(crl(rekeyed.crl(DAY, dave)));
		crls.addAll(crl(this.ca.crl(DAY, bob)));
		CertificateValidator validator = CertificateValidator.of(
				List.of(this.ca.getCertificate(), rekeyed.getCertificate()), crls, CertificatePolicy.DEFAULT,
				this.clock);

		assertThat(validator.validateClient(alice.getChain())).startsWith(alice.getCertificate());
		assertThat(validator.validateClient(carol.getChain())).startsWith(carol.getCertificate());
		assertRefused(() -> validator.validateClient(bob.getChain()), Reason.REVOKED, "is revoked by the CRL");
		assertRefused(() -> validator.validateClient(dave.getChain()), Reason.REVOKED, "is revoked by the CRL");
	}

	@Test
	void validateClientWhenCrlPastNextUpdateThenRefused() {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, crl(this.ca.crl(DAY)));
		this.clock.set(this.now.plus(Duration.ofDays(2)));

		assertRefused(() -> validator.validateClient(alice.getChain()), Reason.REVOKED,
				"The CRL of 'CN=Validator Test CA' expired on");
	}

	@Test
	void validateServerWhenHostIsDnsSanThenAccepted() throws Exception {
		IssuedCertificate server = server("orders.svc");

		assertThat(validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), "ORDERS.svc."))
			.startsWith(server.getCertificate());
	}

	@Test
	void validateServerWhenHostMatchesWildcardSanThenAccepted() throws Exception {
		IssuedCertificate server = server("*.orders.svc");

		assertThat(validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), "eu.orders.svc"))
			.startsWith(server.getCertificate());
	}

	@Test
	void validateServerWhenWildcardWouldSpanTwoLabelsThenRefused() {
		IssuedCertificate server = server("*.orders.svc");

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), "a.eu.orders.svc"),
				Reason.NAME_MISMATCH, "is for [*.orders.svc], not for 'a.eu.orders.svc'");
	}

	@Test
	void validateServerWhenPartialWildcardSanThenRefused() {
		IssuedCertificate server = server("eu*.orders.svc");

		// Malformed before it could match: '*' may only be a whole leftmost label.
		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), "eu1.orders.svc"),
				Reason.POLICY, "the DNS name 'eu*.orders.svc' is not in the preferred name syntax");
	}

	@Test
	void validateServerWhenHostOnlyInCommonNameThenRefused() {
		IssuedCertificate server = this.ca.certificate("orders.svc").serverAuth().issue();

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), "orders.svc"),
				Reason.NAME_MISMATCH, "(only subject alternative names count)");
	}

	@Test
	void validateServerWhenIpHostMatchesIpSanThenAccepted() throws Exception {
		IssuedCertificate server = this.ca.certificate("local").ipAddresses("127.0.0.1", "::1").serverAuth().issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT);

		assertThat(validator.validateServer(server.getChain(), "127.0.0.1")).startsWith(server.getCertificate());
		assertThat(validator.validateServer(server.getChain(), "[::1]")).startsWith(server.getCertificate());
		assertThat(validator.validateServer(server.getChain(), "0:0:0:0:0:0:0:1")).startsWith(server.getCertificate());
	}

	@Test
	void validateServerWhenIpHostAndOnlyDnsSanWithItsTextThenRefused() {
		IssuedCertificate server = server("127.0.0.1");

		assertRefused(() -> validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), "127.0.0.1"),
				Reason.NAME_MISMATCH, "not for '127.0.0.1'");
	}

	@Test
	void validateServerWhenHostIsNullThenNameNotChecked() throws Exception {
		IssuedCertificate server = server("orders.svc");

		assertThat(validator(CertificatePolicy.DEFAULT).validateServer(server.getChain(), null))
			.startsWith(server.getCertificate());
	}

	@Test
	void validateClientWhenValidatedTwiceThenSecondAnswerIsCachedVerdict() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		VerdictCache cache = new VerdictCache();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, List.of(), OnlineRevocation.NONE, cache);

		List<X509Certificate> first = validator.validateClient(alice.getChain());
		List<X509Certificate> second = validator.validateClient(alice.getChain());

		assertThat(second).isSameAs(first);
		assertThat(cache.size()).isOne();
	}

	@Test
	void validateClientWhenCacheTimeOverThenValidatedAgain() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT);
		List<X509Certificate> first = validator.validateClient(alice.getChain());
		this.clock.set(this.now.plus(OnlineRevocation.NONE.cacheTimeToLive()));

		List<X509Certificate> second = validator.validateClient(alice.getChain());

		assertThat(second).isNotSameAs(first).isEqualTo(first);
	}

	@Test
	void validateClientWhenCachedLeafExpiresThenRefused() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice")
			.clientAuth()
			.validity(this.now.minus(DAY), this.now.plus(Duration.ofMinutes(1)))
			.issue();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT);
		validator.validateClient(alice.getChain());
		this.clock.set(this.now.plus(Duration.ofMinutes(2)));

		assertRefused(() -> validator.validateClient(alice.getChain()), Reason.EXPIRED, "is not valid at");
	}

	@Test
	void validateClientWhenRefusedThenNothingCached() {
		IssuedCertificate server = this.ca.certificate("server").serverAuth().issue();
		VerdictCache cache = new VerdictCache();
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, List.of(), OnlineRevocation.NONE, cache);

		assertRefused(() -> validator.validateClient(server.getChain()), Reason.POLICY, "without clientAuth");
		assertThat(cache.size()).isZero();
	}

	@Test
	void validateClientWhenSoftFailThenCachedForThirtySecondsAtMost() throws Exception {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();
		VerdictCache cache = new VerdictCache();
		OnlineRevocation softFail = new OnlineRevocation(false, false, true, Duration.ofSeconds(5),
				Duration.ofMinutes(5));
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT, List.of(), softFail, cache);

		validator.validateClient(alice.getChain());

		assertThat(cache.size()).isOne();
		assertThat(cache.get(VerdictCache.key(alice.getChain(), CertificatePolicyChecks.CLIENT_AUTH, null),
				this.now.plusSeconds(29)))
			.isNotNull();
		assertThat(cache.get(VerdictCache.key(alice.getChain(), CertificatePolicyChecks.CLIENT_AUTH, null),
				this.now.plusSeconds(31)))
			.isNull();
	}

	@Test
	void validateServerWhenSameChainForAnotherHostThenNotTheCachedVerdict() throws Exception {
		IssuedCertificate server = server("orders.svc");
		CertificateValidator validator = validator(CertificatePolicy.DEFAULT);
		validator.validateServer(server.getChain(), "orders.svc");

		assertRefused(() -> validator.validateServer(server.getChain(), "billing.svc"), Reason.NAME_MISMATCH,
				"not for 'billing.svc'");
	}

	@Test
	void readCrlsWhenPemThenCrlsRead() throws Exception {
		List<X509CRL> crls = crl(this.ca.crl(DAY));

		assertThat(crls).singleElement()
			.satisfies((crl) -> assertThat(crl.getIssuerX500Principal())
				.isEqualTo(this.ca.getCertificate().getSubjectX500Principal()));
	}

	@Test
	void ofTrustDomainsWhenPeerOfOwnDomainThenValidated() throws Exception {
		IssuedCertificate orders = svid(this.ca, "spiffe://example.org/orders");

		assertThat(spiffeValidator().validateClient(orders.getChain())).containsExactly(orders.getCertificate());
	}

	@Test
	void ofTrustDomainsWhenPeerOfFederatedDomainThenValidatedAgainstItsBundle() throws Exception {
		IssuedCertificate billing = svid(this.partner, "spiffe://partner.org/billing");

		assertThat(spiffeValidator().validateClient(billing.getChain())).containsExactly(billing.getCertificate());
	}

	@Test
	void ofTrustDomainsWhenOneDomainsCaSignsAnotherDomainsIdThenRefused() {
		IssuedCertificate impostor = svid(this.partner, "spiffe://example.org/orders");

		assertRefused(() -> spiffeValidator().validateClient(impostor.getChain()), Reason.UNTRUSTED,
				"certification path");
	}

	@Test
	void ofTrustDomainsWhenPeerWithoutSpiffeIdThenRefused() {
		IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();

		assertRefused(() -> spiffeValidator().validateClient(alice.getChain()), Reason.UNTRUSTED,
				"is no SPIFFE peer: ");
	}

	@Test
	void ofTrustDomainsWhenPeerWithTwoSpiffeIdsThenRefused() {
		IssuedCertificate twice = this.ca.certificate("twice")
			.uris("spiffe://example.org/a", "spiffe://example.org/b")
			.clientAuth()
			.issue();

		assertRefused(() -> spiffeValidator().validateClient(twice.getChain()), Reason.UNTRUSTED,
				"2 spiffe:// URI SANs");
	}

	@Test
	void ofTrustDomainsWhenPeerOfUnknownDomainThenRefusedNamingIt() {
		IssuedCertificate stranger = svid(this.ca, "spiffe://stranger.org/x");

		assertRefused(() -> spiffeValidator().validateClient(stranger.getChain()), Reason.UNTRUSTED,
				"of the trust domain 'stranger.org', for which there is no trust bundle (known: [example.org, partner.org])");
	}

	@Test
	void validateServerWhenFederatedServerNamesOurHostThenRefused() throws Exception {
		// A partner's CA can write any DNS name; it vouches for its own SPIFFE IDs only.
		IssuedCertificate partner = this.partner.certificate("svid")
			.withoutCommonName()
			.uris("spiffe://partner.org/payments")
			.dnsNames("payments.internal")
			.serverAuth()
			.issue();
		IssuedCertificate own = this.ca.certificate("svid")
			.withoutCommonName()
			.uris("spiffe://example.org/payments")
			.dnsNames("payments.internal")
			.serverAuth()
			.issue();

		assertRefused(
				() -> localSpiffeValidator(ExpectedServerIdentities.NONE).validateServer(partner.getChain(),
						"payments.internal"),
				Reason.NAME_MISMATCH,
				"is a server of the trust domain 'partner.org', not of this workload's 'example.org'");
		assertThat(
				localSpiffeValidator(ExpectedServerIdentities.NONE).validateServer(own.getChain(), "payments.internal"))
			.containsExactly(own.getCertificate());
		assertThat(localSpiffeValidator(
				ExpectedServerIdentities.of(Map.of("payments.internal", "spiffe://partner.org/payments")))
			.validateServer(partner.getChain(), "payments.internal")).containsExactly(partner.getCertificate());
	}

	@Test
	void ofTrustDomainsWhenNoBundleThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CertificateValidator.ofTrustDomains(Map.of("example.org", List.of()), List.of(),
					CertificatePolicy.DEFAULT, this.clock, OnlineRevocation.NONE, ExpectedServerIdentities.NONE))
			.withMessage("At least one trust domain with a CA certificate is required");
	}

	@Test
	void ofTrustDomainsThenTrustedHoldsEveryDomainsCas() {
		assertThat(spiffeValidator().getTrusted()).containsExactly(this.ca.getCertificate(),
				this.partner.getCertificate());
	}

	@Test
	void validateServerWhenSpiffeIdExpectedOfHostThenCheckedInsteadOfHostName() throws Exception {
		IssuedCertificate orders = svid(this.ca, "spiffe://example.org/orders");
		CertificateValidator validator = spiffeValidator(ExpectedServerIdentities.of(Map.of("orders.internal",
				"spiffe://example.org/orders", "*.partner.internal", "spiffe://partner.org/**")));

		assertThat(validator.validateServer(orders.getChain(), "orders.internal")).hasSize(1);
		assertRefused(() -> validator.validateServer(orders.getChain(), "eu.partner.internal"), Reason.NAME_MISMATCH,
				"is spiffe://example.org/orders, where 'spiffe://partner.org/**' is expected of 'eu.partner.internal'");
		// No expectation for the host: its name is checked, and an SVID names none.
		assertRefused(() -> validator.validateServer(orders.getChain(), "billing.internal"), Reason.NAME_MISMATCH,
				"not for 'billing.internal'");
	}

	@Test
	void expectedServerIdentitiesWhenExactWildcardAndCatchAllThenMostSpecificWins() {
		ExpectedServerIdentities expected = ExpectedServerIdentities
			.of(Map.of("orders.internal", "spiffe://example.org/orders", "*.internal.example", "spiffe://example.org/*",
					"*", "spiffe://example.org/**"));

		assertThat(expected.forHost("orders.internal")).hasToString("spiffe://example.org/orders");
		assertThat(expected.forHost("Orders.Internal.")).hasToString("spiffe://example.org/orders");
		assertThat(expected.forHost("eu.internal.example")).hasToString("spiffe://example.org/*");
		assertThat(expected.forHost("127.0.0.1")).hasToString("spiffe://example.org/**");
		assertThat(ExpectedServerIdentities.NONE.forHost("orders.internal")).isNull();
	}

	@Test
	void ofTrustDomainsWhenPeerWithAnotherUriSanBesideItsSpiffeIdThenRefused() {
		IssuedCertificate extra = this.ca.certificate("extra")
			.uris("spiffe://example.org/orders", "https://orders.example.org")
			.clientAuth()
			.issue();

		assertRefused(() -> spiffeValidator().validateClient(extra.getChain()), Reason.UNTRUSTED,
				"an X.509 SVID has exactly one URI SAN, this one has 2");
	}

	@Test
	void expectedServerIdentitiesWhenNotSpiffeIdPatternThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> ExpectedServerIdentities.of(Map.of("*", "cn:orders")))
			.withMessageContaining("'cn:orders' is no SPIFFE ID pattern");
	}

	@Test
	void expectedServerIdentitiesWhenBadHostPatternThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ExpectedServerIdentities.of(Map.of("*.internal", "spiffe://example.org/orders")))
			.withMessageContaining("'*.internal' is no host pattern");
	}

	private CertificateValidator spiffeValidator() {
		return spiffeValidator(ExpectedServerIdentities.NONE);
	}

	private CertificateValidator spiffeValidator(ExpectedServerIdentities expectedServers) {
		Map<String, List<X509Certificate>> trustDomains = new LinkedHashMap<>();
		trustDomains.put("example.org", List.of(this.ca.getCertificate()));
		trustDomains.put("partner.org", List.of(this.partner.getCertificate()));
		return CertificateValidator.ofTrustDomains(trustDomains, List.of(), CertificatePolicy.DEFAULT, this.clock,
				OnlineRevocation.NONE, expectedServers);
	}

	private CertificateValidator localSpiffeValidator(ExpectedServerIdentities expectedServers) {
		Map<String, List<X509Certificate>> trustDomains = new LinkedHashMap<>();
		trustDomains.put("example.org", List.of(this.ca.getCertificate()));
		trustDomains.put("partner.org", List.of(this.partner.getCertificate()));
		return CertificateValidator.ofTrustDomains(trustDomains, "example.org", List.of(), CertificatePolicy.DEFAULT,
				this.clock, OnlineRevocation.NONE, expectedServers);
	}

	private static IssuedCertificate svid(CertificateAuthority authority, String spiffeId) {
		return authority.certificate("svid").withoutCommonName().uris(spiffeId).clientAuth().serverAuth().issue();
	}

	private CertificateValidator validator(CertificatePolicy policy) {
		return validator(policy, List.of());
	}

	private CertificateValidator validator(CertificatePolicy policy, List<X509CRL> crls) {
		return CertificateValidator.of(List.of(this.ca.getCertificate()), crls, policy, this.clock);
	}

	private CertificateValidator validator(CertificatePolicy policy, List<X509CRL> crls,
			OnlineRevocation onlineRevocation, VerdictCache cache) {
		return new CertificateValidator(List.of(this.ca.getCertificate()), crls, policy, this.clock, onlineRevocation,
				cache);
	}

	private IssuedCertificate server(String dnsName) {
		return this.ca.certificate("server").dnsNames(dnsName).serverAuth().issue();
	}

	/**
	 * A leaf three certificates below the root: leaf, two intermediates.
	 */
	private IssuedCertificate deepLeaf() {
		CertificateAuthority first = intermediate(this.ca, "First Intermediate");
		CertificateAuthority second = intermediate(first, "Second Intermediate");
		return second.certificate("alice").clientAuth().issue();
	}

	private static CertificateAuthority intermediate(CertificateAuthority issuer, String commonName) {
		CertificateRequest request = issuer.certificate(commonName).ca();
		return request.issue().asCertificateAuthority();
	}

	// A CRL under the given CA's name, signed by its key, without an authority key
	// identifier.
	private static X509CRL crlWithoutKeyIdentifier(CertificateAuthority signer) throws Exception {
		Instant now = Instant.now();
		JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(signer.getCertificate().getSubjectX500Principal(),
				Date.from(now.minus(Duration.ofMinutes(5))));
		builder.setNextUpdate(Date.from(now.plus(DAY)));
		builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
		return new JcaX509CRLConverter()
			.getCRL(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivateKey())));
	}

	private static List<X509CRL> crl(String pem) {
		try {
			return new ArrayList<>(
					CertificateValidator.readCrls(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertRefused(ThrowingCallable validation, Reason reason, String message) {
		assertThatExceptionOfType(CertificateRejectedException.class).isThrownBy(validation)
			.withMessageContaining(message)
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(reason));
	}

	/**
	 * A clock a test moves.
	 */
	static final class MutableClock extends Clock {

		private Instant instant;

		MutableClock(Instant instant) {
			this.instant = instant;
		}

		void set(Instant instant) {
			this.instant = instant;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.instant;
		}

	}

}
