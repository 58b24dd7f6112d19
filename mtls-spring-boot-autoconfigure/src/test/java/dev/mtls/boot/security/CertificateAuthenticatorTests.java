package dev.mtls.boot.security;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each {@code mtls.principal.name} choice, through real TLS: the principal name of a
 * certificate that has the attribute, and 401 with a logged reason for one that lacks it;
 * and the failure each refusal reports to listeners.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class CertificateAuthenticatorTests {

	TestCertificateAuthority ca;

	SSLContext full;

	SSLContext bare;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
		TestCertificate full = ca.client((spec) -> spec.subject("CN=orders,O=Acme")
			.dnsName("orders.acme.internal")
			.dnsName("orders")
			.spiffeId("spiffe://acme.org/ns/shop/sa/orders")
			.email("orders@acme.org"));
		this.full = full.sslBundle().createSslContext();
		this.bare = ca.client("bare").sslBundle().createSslContext();
	}

	@ParameterizedTest(name = "mtls.principal.name={0}")
	@CsvSource({ "cn, orders", "subject, 'CN=orders,O=Acme'", "spiffe-id, spiffe://acme.org/ns/shop/sa/orders",
			"dns, orders.acme.internal", "uri, spiffe://acme.org/ns/shop/sa/orders", "email, orders@acme.org" })
	void requestWhenPrincipalNameChosenThenNamedByIt(String name, String expected, CapturedOutput output)
			throws IOException {
		try (TestService service = TestService.start(this.ca.writeServiceProperties("mtls.principal.name=" + name))) {
			String named = TlsProbe.get(this.full, service.port(), "/whoami");
			String missing = TlsProbe.get(this.bare, service.port(), "/whoami");
			TlsProbe.get(this.bare, service.port(), "/whoami");

			assertThat(named).startsWith("HTTP/1.1 200").endsWith(expected);
			if (!name.equals("cn") && !name.equals("subject")) {
				assertThat(missing).startsWith("HTTP/1.1 401");
				assertThat(output.toString()
					.lines()
					.filter((line) -> line.contains("Client certificate not authenticated"))).singleElement()
					.asString()
					.contains("subject 'CN=bare'")
					.contains("mtls.principal.name=" + name);
			}
		}
	}

	@Test
	void requestWhenTwoSpiffeIdsAndPrincipalIsSpiffeIdThenUnauthorizedWithReason(CapturedOutput output)
			throws IOException {
		SSLContext twice = this.ca
			.client((spec) -> spec.commonName("twice").spiffeId("spiffe://acme.org/a").spiffeId("spiffe://acme.org/b"))
			.sslBundle()
			.createSslContext();
		try (TestService service = TestService.start(this.ca.writeServiceProperties("mtls.principal.name=spiffe-id"))) {
			assertThat(TlsProbe.get(twice, service.port(), "/whoami")).startsWith("HTTP/1.1 401");
			assertThat(output).contains("2 spiffe:// URI SANs, where a SPIFFE ID must be unique");
		}
	}

	@Test
	void requestWhenClientPresentsCaCertificateThenUnauthorized(CapturedOutput output) throws IOException {
		TestCertificate intermediate = this.ca.client((spec) -> spec.commonName("Intermediate CA").caCertificate());
		try (TestService service = TestService.start(this.ca.writeServiceProperties())) {
			assertThat(TlsProbe.get(intermediate.sslBundle().createSslContext(), service.port(), "/whoami"))
				.startsWith("HTTP/1.1 401");
			assertThat(output).contains("'CN=Intermediate CA' is a CA certificate, which cannot be a client");
		}
	}

	@Test
	void authenticateWhenCertificateLacksAttributeThenListenerToldMissingAttribute() {
		TestCertificate bare = this.ca.client("bare");

		assertThat(failuresTold(PrincipalName.SPIFFE_ID, bare))
			.containsExactly(AuthenticationFailure.MISSING_ATTRIBUTE);
	}

	@Test
	void authenticateWhenCaCertificateThenListenerToldCaCertificate() {
		TestCertificate intermediate = this.ca.client((spec) -> spec.commonName("Intermediate CA").caCertificate());

		assertThat(failuresTold(PrincipalName.CN, intermediate)).containsExactly(AuthenticationFailure.CA_CERTIFICATE);
	}

	@Test
	void requestWhenSubjectAndSanHoldFakeLogLineThenUnauthorizedAndLoggedEscapedOnOneLine(CapturedOutput output)
			throws IOException {
		String fakePrefix = "1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: admin";
		// Forged CN, O and e-mail SAN: minted with the issuing CA directly.
		IssuedCertificate forger = this.ca.getIssuingAuthority()
			.certificate("evil\n" + fakePrefix)
			.organization("Evil\u2028")
			.emails("x\n" + fakePrefix + "@acme.org")
			.clientAuth()
			.issue();
		try (TestService service = TestService.start(this.ca.writeServiceProperties("mtls.principal.name=spiffe-id",
				"logging.level.org.springframework.security=trace", "logging.level.dev.mtls.boot=trace"))) {
			assertThat(TlsProbe.get(this.ca.adopt(forger).sslBundle().createSslContext(), service.port(), "/whoami"))
				.startsWith("HTTP/1.1 401");
			assertThat(
					output.toString().lines().filter((line) -> line.contains("Client certificate not authenticated")))
				.isNotEmpty()
				.allSatisfy((line) -> assertThat(line).contains("'CN=evil\\n" + fakePrefix + ",O=Evil\\u2028'"));
		}
		assertThat(output.toString().lines()).noneMatch((line) -> line.startsWith(fakePrefix.substring(0, 24)))
			.filteredOn((line) -> line.contains("forged: admin"))
			.allMatch((line) -> line.contains("\\n" + fakePrefix));
		assertThat(output.toString()).doesNotContain("\u2028");
	}

	@Test
	void authenticateWhenEmptyChainThenBadCredentials() {
		CertificateAuthenticator authenticator = new CertificateAuthenticator();

		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> authenticator.authenticate(new X509Certificate[0], null))
			.withMessage("No client certificate");
	}

	@Test
	void authenticateWhenVerifierRefusesAgainThenLoggedOnceAtWarn(CapturedOutput output) {
		TestCertificate alice = this.ca.client("alice");
		X509Certificate[] chain = alice.getChain().toArray(X509Certificate[]::new);
		// Every refusal names the time of its check, as an expired certificate's does.
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.CN, (identity) -> List.of(),
				MtlsListener.NONE, (refused) -> {
					throw new CertificateRejectedException(Reason.EXPIRED,
							"certificate 'CN=alice' is not valid at " + System.nanoTime());
				});

		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> authenticator.authenticate(chain, null))
				.withMessageStartingWith("Client certificate no longer acceptable: certificate 'CN=alice'");
		}
		assertThat(output.toString()
			.lines()
			.filter((line) -> line.contains(" WARN ") && line.contains("Client certificate no longer acceptable")))
			.hasSize(1);
	}

	@Test
	void authenticateWhenAttestedThenIdentityAttestedByProxyOnceAndToldEachTime() {
		List<String> authenticated = new ArrayList<>();
		MtlsListener listener = new MtlsListener() {

			@Override
			public void authenticated(CertificateIdentity identity) {
				authenticated.add(identity.getName());
			}

		};
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.SPIFFE_ID,
				(identity) -> AuthorityUtils.createAuthorityList("ROLE_" + identity.getCommonName()), listener,
				(chain) -> {
					throw new AssertionError("nothing to verify");
				});
		AttestedCertificate attested = new AttestedCertificate("ab".repeat(32), "CN=orders", List.of(),
				List.of("spiffe://acme.org/ns/shop/sa/orders"));

		CertificateAuthentication first = authenticator.authenticate(attested, "details");
		CertificateAuthentication second = authenticator.authenticate(attested, null);

		assertThat(first.getName()).isEqualTo("spiffe://acme.org/ns/shop/sa/orders");
		assertThat(first.getPrincipal().isAttestedByProxy()).isTrue();
		assertThat(first.getCredentials()).isNull();
		assertThat(first.getDetails()).isEqualTo("details");
		assertThat(first.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_orders");
		assertThat(second.getPrincipal()).isSameAs(first.getPrincipal());
		assertThat(authenticated).hasSize(2);
	}

	@Test
	void authenticateWhenAttestationLacksAttributeThenBadCredentialsLoggedOnceEscaped(CapturedOutput output) {
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.SPIFFE_ID,
				(identity) -> List.of(), MtlsListener.NONE, (chain) -> {
				});
		AttestedCertificate attested = new AttestedCertificate("ab".repeat(32), "CN=evil\nline", List.of(), List.of());

		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> authenticator.authenticate(attested, null))
				.withMessageContaining("no SPIFFE ID");
		}
		assertThat(output.toString().lines().filter((line) -> line.contains("Attested client certificate not")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("'CN=evil\\nline' (attested by the proxy, sha256 abab"));
	}

	@Test
	void authenticateWhenProxyAttestsManyUnnamedCertificatesThenWarningsBoundedAndLargeOnesRefusedAlike(
			CapturedOutput output) {
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.SPIFFE_ID,
				(identity) -> List.of(), MtlsListener.NONE, (chain) -> {
				});

		for (int i = 0; i < 30; i++) {
			// A new fingerprint each time, as a proxy trusted by address may send; the
			// last ones too long to be cached.
			String subject = (i < 25) ? "CN=client-" + i : "CN=" + "x".repeat(13_000) + i;
			AttestedCertificate attested = new AttestedCertificate("%064x".formatted(i), subject, List.of(), List.of());
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> authenticator.authenticate(attested, null))
				.withMessageContaining("no SPIFFE ID");
		}

		assertThat(output.toString().lines().filter((line) -> line.contains("Attested client certificate not")))
			.hasSize(10);
		assertThat(output).contains("10 such messages in a minute");
	}

	@Test
	void authenticateWhenPeerOfFederatedTrustDomainThenNamedBySpiffeIdAndGrantedBySpiffeIdOnly() {
		AtomicReference<@Nullable String> localTrustDomain = new AtomicReference<>("acme.org");
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.CN,
				new IdentityAuthoritiesMapper(List.of(IdentityAuthoritiesMapper.Grant.of("cn:ops-console", "ROLE_OPS"),
						IdentityAuthoritiesMapper.Grant.of("spiffe://partner.org/**", "ROLE_PARTNER"))),
				MtlsListener.NONE, (chain) -> {
				});
		authenticator.setLocalTrustDomain(localTrustDomain::get);
		X509Certificate[] partner = this.ca
			.client((spec) -> spec.commonName("ops-console").spiffeId("spiffe://partner.org/ops"))
			.getChain()
			.toArray(X509Certificate[]::new);

		CertificateAuthentication federated = authenticator.authenticate(partner, null);
		CertificateAuthentication forwarded = authenticator.authenticateForwarded(partner, null);
		localTrustDomain.set("partner.org");
		CertificateAuthentication local = authenticator.authenticate(partner, null);

		assertThat(federated.getName()).isEqualTo("spiffe://partner.org/ops");
		assertThat(federated.getPrincipal().isFederated()).isTrue();
		assertThat(federated.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("ROLE_PARTNER");
		assertThat(forwarded.getName()).isEqualTo("spiffe://partner.org/ops");
		assertThat(forwarded.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("ROLE_PARTNER");
		// Cached per trust domain: a change of it is not answered from the cache.
		assertThat(local.getName()).isEqualTo("ops-console");
		assertThat(local.getPrincipal().isFederated()).isFalse();
		assertThat(local.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("ROLE_OPS", "ROLE_PARTNER");
	}

	@Test
	void authenticateWhenAttestedPeerOfFederatedTrustDomainThenNamedBySpiffeIdAndNotGrantedByCommonName() {
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.CN,
				new IdentityAuthoritiesMapper(
						List.of(IdentityAuthoritiesMapper.Grant.of("cn:ops-console", "ROLE_OPS"))),
				MtlsListener.NONE, (chain) -> {
				});
		authenticator.setLocalTrustDomain(() -> "acme.org");
		AttestedCertificate attested = new AttestedCertificate("ab".repeat(32), "CN=ops-console", List.of(),
				List.of("spiffe://partner.org/ops"));

		CertificateAuthentication authentication = authenticator.authenticate(attested, null);

		assertThat(authentication.getName()).isEqualTo("spiffe://partner.org/ops");
		assertThat(authentication.getPrincipal().isFederated()).isTrue();
		assertThat(authentication.getAuthorities()).isEmpty();
	}

	@Test
	void authenticateWhenNoLocalTrustDomainThenNoPeerFederated() {
		CertificateAuthenticator authenticator = new CertificateAuthenticator(PrincipalName.CN, (identity) -> List.of(),
				MtlsListener.NONE, (chain) -> {
				});
		X509Certificate[] partner = this.ca
			.client((spec) -> spec.commonName("ops-console").spiffeId("spiffe://partner.org/ops"))
			.getChain()
			.toArray(X509Certificate[]::new);

		CertificateAuthentication authentication = authenticator.authenticate(partner, null);

		assertThat(authentication.getName()).isEqualTo("ops-console");
		assertThat(authentication.getPrincipal().isFederated()).isFalse();
	}

	/**
	 * Authenticate a certificate that must be refused, and return what the listener was
	 * told.
	 */
	private static List<AuthenticationFailure> failuresTold(PrincipalName name, TestCertificate certificate) {
		List<AuthenticationFailure> told = new ArrayList<>();
		MtlsListener listener = new MtlsListener() {

			@Override
			public void authenticationFailed(AuthenticationFailure failure) {
				told.add(failure);
			}

		};
		CertificateAuthenticator authenticator = new CertificateAuthenticator(name, (identity) -> List.of(), listener,
				(chain) -> {
				});
		X509Certificate[] chain = certificate.getChain().toArray(X509Certificate[]::new);
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> authenticator.authenticate(chain, null));
		return told;
	}

}
