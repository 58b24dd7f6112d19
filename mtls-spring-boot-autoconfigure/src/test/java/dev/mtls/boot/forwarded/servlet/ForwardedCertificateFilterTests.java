package dev.mtls.boot.forwarded.servlet;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import dev.mtls.boot.testsupport.ForwardedTestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ForwardedCertificateFilter} over real TLS on Tomcat: a URL-encoded PEM
 * chain in nginx's header (nginx's own variable holds the leaf alone, which needs the
 * issuing CA in the trust), the proxy trusted by its client certificate.
 */
@SpringBootTest(classes = ForwardedTestApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "mtls.server.client-auth=want", "mtls.forwarded.enabled=true", "mtls.forwarded.format=header",
				"mtls.forwarded.header=ssl-client-cert", "mtls.forwarded.encoding=url-pem",
				"mtls.forwarded.trusted-proxies.identities=cn:proxy", "mtls.authorization.rules[0].paths=/public/**",
				"mtls.authorization.rules[0].permit-all=true", "mtls.authorization.rules[1].paths=/admin/**",
				"mtls.authorization.rules[1].allow=cn:root" })
@AutoConfigureTestCertificates
@ExtendWith(OutputCaptureExtension.class)
class ForwardedCertificateFilterTests {

	private static final String HEADER = "ssl-client-cert";

	@Autowired
	TestCertificates certificates;

	@Test
	void requestWhenTrustedProxyForwardsCertificateThenCallerIsForwardedClient() {
		TestCertificate alice = this.certificates.client("alice");

		assertBody(proxy().get().uri("/whoami").header(HEADER, escaped(alice)), "alice via proxy, header seen");
	}

	@Test
	void requestWhenDirectClientForgesHeaderThenCallerIsItselfAndHeaderRemoved(CapturedOutput output) {
		TestCertificate alice = this.certificates.client("alice");
		RestTestClient bob = this.certificates.client("bob").restTestClient();

		assertBody(bob.get().uri("/whoami").header(HEADER, escaped(alice)), "bob via direct");
		assertThat(output).contains("from 'CN=bob")
			.contains("removed: the peer is not a trusted proxy (mtls.forwarded.trusted-proxies)");
	}

	@Test
	void requestWhenClientWithoutCertificateForgesHeaderThenUnauthorized() {
		TestCertificate alice = this.certificates.client("alice");
		RestTestClient anonymous = this.certificates.restTestClientWithoutCertificate();

		anonymous.get().uri("/whoami").header(HEADER, escaped(alice)).exchange().expectStatus().isUnauthorized();
		assertBody(anonymous.get().uri("/public/x").header(HEADER, escaped(alice)), "anonymous via direct");
	}

	@Test
	void requestWhenTrustedProxyForwardsNothingThenNotAuthenticatedAsProxy() {
		proxy().get().uri("/whoami").exchange().expectStatus().isUnauthorized();
		proxy().get().uri("/whoami").header(HEADER, "").exchange().expectStatus().isUnauthorized();
		assertBody(proxy().get().uri("/public/x"), "anonymous via proxy");
	}

	@Test
	void requestWhenTrustedProxyForwardsMalformedHeaderThenBadRequestWithReason() {
		proxy().get()
			.uri("/public/x")
			.header(HEADER, "-----BEGIN%20CERTIFICATE-----%0AMIIB")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.isEqualTo("Malformed forwarded client certificate: ssl-client-cert: "
					+ "a PEM block is truncated or not a certificate\n");
	}

	@Test
	void requestWhenForwardedCertificateInvalidThenUnauthorized(CapturedOutput output) {
		TestCertificate expired = this.certificates.client((spec) -> spec.commonName("carol").expired());
		TestCertificate untrusted = this.certificates.client((spec) -> spec.commonName("mallory").untrusted());
		TestCertificate revoked = this.certificates.client("dave");
		this.certificates.revoke(revoked);

		for (TestCertificate refused : new TestCertificate[] { expired, untrusted, revoked }) {
			proxy().get().uri("/whoami").header(HEADER, escaped(refused)).exchange().expectStatus().isUnauthorized();
			// The refused certificate's header is hidden from the application too.
			assertBody(proxy().get().uri("/public/x").header(HEADER, escaped(refused)), "anonymous via proxy");
		}
		assertThat(output).contains("Forwarded client certificate from trusted proxy 'CN=proxy")
			.contains("refused: ")
			.contains("CN=mallory")
			.contains("CN=dave");
	}

	@Test
	void requestWhenForwardedCertificateRevokedLaterThenUnauthorized() {
		TestCertificate erin = this.certificates.client("erin");
		assertBody(proxy().get().uri("/whoami").header(HEADER, escaped(erin)), "erin via proxy, header seen");

		this.certificates.revoke(erin);

		proxy().get().uri("/whoami").header(HEADER, escaped(erin)).exchange().expectStatus().isUnauthorized();
	}

	@Test
	void requestWhenForwardedClientDeniedThenForbiddenAndDenialNamesProxy(CapturedOutput output) {
		TestCertificate frank = this.certificates.client("frank");

		proxy().get().uri("/admin/x").header(HEADER, escaped(frank)).exchange().expectStatus().isForbidden();
		assertThat(output).contains("Denied GET /admin/x to 'CN=frank'")
			.contains("via trusted proxy 'CN=proxy' at 127.0.0.1 by mtls.authorization.rules[1]");
	}

	private RestTestClient proxy() {
		return this.certificates.client("proxy").restTestClient();
	}

	private static void assertBody(RestTestClient.RequestHeadersSpec<?> request, String expected) {
		request.exchange().expectStatus().isOk().expectBody(String.class).isEqualTo(expected);
	}

	// The chain, percent-encoded as nginx's $ssl_client_escaped_cert writes PEM.
	private static String escaped(TestCertificate persona) {
		return URLEncoder.encode(persona.getCertificatePem(), StandardCharsets.UTF_8).replace("+", "%20");
	}

}
