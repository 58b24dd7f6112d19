package dev.mtls.boot.security;

import java.io.IOException;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The denial log of {@link DenialLog}, through a real service on the starter with an
 * authorization rule.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class DenialLogTests {

	private static final String FAKE_PREFIX = "1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: admin";

	@Test
	void requestWhenDeniedAndSubjectHoldsFakeLogLineThenDenialLoggedEscapedOnOneLine(TestCertificateAuthority ca,
			CapturedOutput output) throws IOException {
		// The forger's issuer, with a forged name of its own, under the test root.
		CertificateAuthority issuer = ca.getRootAuthority()
			.certificate("Issuing\nCA\u202E")
			.ca()
			.clientAuth()
			.issue()
			.asCertificateAuthority();
		IssuedCertificate forger = issuer.certificate("evil\n" + FAKE_PREFIX)
			.organization("Evil\u2028\u001B[2K")
			.clientAuth()
			.issue();

		try (TestService service = TestService.start(RulesTestApp.class,
				ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
						"mtls.authorization.rules[0].allow=cn:nobody",
						"logging.level.org.springframework.security=trace"))) {
			int status = TlsProbe.status(ca.adopt(forger).sslBundle().createSslContext(), service.port(), "GET",
					"/admin/secrets");

			assertThat(status).isEqualTo(403);
			assertThat(output.toString().lines().filter((line) -> line.contains("Denied GET /admin/secrets")))
				.singleElement()
				.asString()
				.contains(
						"to 'CN=evil\\n" + FAKE_PREFIX + ",O=Evil\\u2028\\u001B[2K' (issuer 'CN=Issuing\\nCA\\u202E',");
			// Spring Security's trace lines render the authentication, and its principal.
			assertThat(output).contains("CertificateIdentity[CN=evil\\n" + FAKE_PREFIX);
		}
		assertThat(output.toString().lines()).noneMatch((line) -> line.startsWith(FAKE_PREFIX.substring(0, 24)))
			.filteredOn((line) -> line.contains("forged: admin"))
			.allMatch((line) -> line.contains("evil\\n" + FAKE_PREFIX));
		assertThat(output.toString()).doesNotContain("\u2028", "\u202E", "\u001B[2K");
	}

	@Test
	void deniedWhenMethodHoldsControlCharactersThenEscaped(TestCertificateAuthority ca, CapturedOutput output) {
		// Servers refuse such methods today; the line must not depend on it.
		CertificateIdentity identity = ca.client("alice").getIdentity();

		new DenialLog().denied(identity, "GET\n" + FAKE_PREFIX, "/admin",
				new IdentityAuthorizationDecision(false, "mtls.authorization.rules[0]", "no allow pattern matches"));

		assertThat(output.toString().lines().filter((line) -> line.contains("Denied GET"))).singleElement()
			.asString()
			.contains("Denied GET\\n" + FAKE_PREFIX + " /admin to 'CN=alice'");
	}

}
