package dev.mtls.boot.servers;

import java.io.IOException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mtls.authorization} rules with {@code mtls.server.client-auth=want}: the first
 * matching rule decides, 401 without a certificate, 403 when no pattern allows,
 * permit-all without a certificate, and one denial log per certificate and rule.
 */
abstract class AuthorizationRulesSuite extends ServerSuite {

	private static final String AUTHORIZATION = "mtls.authorization";

	SSLContext alice;

	SSLContext bob;

	SSLContext checkout;

	SSLContext auditor;

	AuthorizationRulesSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client((spec) -> spec.subject("CN=alice,OU=ops,O=Acme")).sslBundle().createSslContext();
		this.bob = ca.client((spec) -> spec.subject("CN=bob,O=Acme")).sslBundle().createSslContext();
		this.checkout = ca
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"))
			.sslBundle()
			.createSslContext();
		this.auditor = ca.client("auditor-1").sslBundle().createSslContext();
		return ca.writeServiceProperties("mtls.server.client-auth=want", "mtls.authorization.rules[0].paths=/public/**",
				"mtls.authorization.rules[0].permit-all=true", "mtls.authorization.rules[1].paths=/admin/**",
				"mtls.authorization.rules[1].allow=CN=alice,OU=ops,O=Acme",
				"mtls.authorization.rules[2].paths=/orders/**", "mtls.authorization.rules[2].methods=POST",
				"mtls.authorization.rules[2].allow=spiffe://acme.org/ns/shop/sa/*",
				"mtls.authorization.rules[3].paths=/orders/**,/whoami", "mtls.authorization.rules[3].allow=*",
				"mtls.authorization.rules[4].paths=/reports/**",
				"mtls.authorization.rules[4].allow=authority:ROLE_AUDITOR",
				"mtls.principal.authorities[0].identity=cn:auditor-*",
				"mtls.principal.authorities[0].grant=ROLE_AUDITOR", "mtls.authorization.default=deny");
	}

	@Test
	void requestWhenNoCertificateAndRuleNeedsOneThenUnauthorizedAndCounted() throws IOException {
		double failed = count("mtls.authentication", "outcome", "failure", "reason", "no-certificate");

		Response response = request(withoutCertificate(), "GET", "/whoami");

		assertThat(response.status()).isEqualTo(401);
		assertThat(count("mtls.authentication", "outcome", "failure", "reason", "no-certificate"))
			.isEqualTo(failed + 1);
	}

	@Test
	void requestWhenCertificateThenPrincipalIsCommonName() throws IOException {
		Response response = request(this.bob, "GET", "/whoami");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("bob");
	}

	@Test
	void requestWhenPermitAllThenServedWithoutCertificate() throws IOException {
		Response anonymous = request(withoutCertificate(), "GET", "/public/docs");
		Response bob = request(this.bob, "GET", "/public/docs");

		assertThat(anonymous.status()).isEqualTo(200);
		assertThat(anonymous.body()).isEqualTo("anonymous");
		assertThat(bob.status()).isEqualTo(200);
	}

	@Test
	void handshakeWhenUntrustedCertificatePresentedToPermitAllPathThenRefusedNotAnonymous(CapturedOutput output) {
		// client-auth want asks for a certificate without needing one; one that is
		// presented is still checked, never dropped to serve the caller as anonymous.
		TestCertificate stranger = this.ca.client((spec) -> spec.commonName("stranger").untrusted());

		HandshakeRefusal.assertRefused(() -> request(stranger.sslBundle().createSslContext(), "GET", "/public/docs"),
				output, "has no valid path to a trusted CA");
		assertThat(output).contains("'CN=stranger'");
	}

	@Test
	void requestWhenFullDnRuleThenOnlyThatSubjectAllowedAndDecisionsCounted() throws IOException {
		double granted = count(AUTHORIZATION, "decision", "granted", "rule", "mtls.authorization.rules[1]");
		double denied = count(AUTHORIZATION, "decision", "denied", "rule", "mtls.authorization.rules[1]");

		assertThat(request(this.alice, "GET", "/admin/users").status()).isEqualTo(200);
		assertThat(request(this.bob, "GET", "/admin/users").status()).isEqualTo(403);
		assertThat(count(AUTHORIZATION, "decision", "granted", "rule", "mtls.authorization.rules[1]"))
			.isEqualTo(granted + 1);
		assertThat(count(AUTHORIZATION, "decision", "denied", "rule", "mtls.authorization.rules[1]"))
			.isEqualTo(denied + 1);
	}

	@Test
	void requestWhenMethodRuleMatchesThenItDecidesBeforeLaterRules() throws IOException {
		Response created = request(this.checkout, "POST", "/orders/42");

		assertThat(created.status()).isEqualTo(200);
		assertThat(created.body()).isEqualTo("created by checkout");
		assertThat(request(this.bob, "POST", "/orders/42").status()).isEqualTo(403);
		assertThat(request(this.bob, "GET", "/orders/42").status()).isEqualTo(200);
	}

	@Test
	void requestWhenAuthorityGrantedByPatternThenAuthorityRuleAllows() throws IOException {
		assertThat(request(this.auditor, "GET", "/reports/q3").status()).isEqualTo(200);
		assertThat(request(this.bob, "GET", "/reports/q3").status()).isEqualTo(403);
	}

	@Test
	void requestWhenNoRuleMatchesThenDefaultDenies() throws IOException {
		assertThat(request(this.alice, "GET", "/other/thing").status()).isEqualTo(403);
		assertThat(request(withoutCertificate(), "GET", "/other/thing").status()).isEqualTo(401);
	}

	@Test
	void requestWhenDeniedTwiceThenDenialLoggedOnceWithRule(CapturedOutput output) throws IOException {
		Response first = request(this.bob, "GET", "/admin/secrets");
		Response second = request(this.bob, "GET", "/admin/secrets");

		assertThat(first.status()).isEqualTo(403);
		assertThat(second.status()).isEqualTo(403);
		assertThat(first.body()).doesNotContain("Exception");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					output.toString().lines().filter((line) -> line.contains("Denied GET /admin/secrets")))
				.singleElement()
				.asString()
				.contains("'CN=bob,O=Acme'")
				.contains("mtls.authorization.rules[1]")
				.contains("no allow pattern matches [CN=alice,OU=ops,O=Acme]"));
	}

}
