package dev.mtls.boot.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.BadCredentialsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each {@code mtls.principal.name} choice, through real TLS: the principal name of a
 * certificate that has the attribute, and 401 with a logged reason for one that lacks it;
 * and the failure each refusal reports to listeners.
 */
@ExtendWith(OutputCaptureExtension.class)
class CertificateAuthenticatorTests {

	@TempDir
	Path directory;

	TestPki pki;

	SSLContext full;

	SSLContext bare;

	@BeforeEach
	void mint() {
		this.pki = new TestPki(this.directory);
		IssuedCertificate full = this.pki.ca()
			.certificate("orders")
			.organization("Acme")
			.dnsNames("orders.acme.internal", "orders")
			.uris("spiffe://acme.org/ns/shop/sa/orders")
			.emails("orders@acme.org")
			.clientAuth()
			.issue();
		this.full = this.pki.clientContext(full);
		this.bare = this.pki.clientContext(this.pki.ca().certificate("bare").clientAuth().issue());
	}

	@ParameterizedTest(name = "mtls.principal.name={0}")
	@CsvSource({ "cn, orders", "subject, 'CN=orders,O=Acme'", "spiffe-id, spiffe://acme.org/ns/shop/sa/orders",
			"dns, orders.acme.internal", "uri, spiffe://acme.org/ns/shop/sa/orders", "email, orders@acme.org" })
	void requestWhenPrincipalNameChosenThenNamedByIt(String name, String expected, CapturedOutput output)
			throws IOException {
		try (TestService service = TestService.start(this.pki.serviceProperties("mtls.principal.name=" + name))) {
			String named = TestPki.get(this.full, service.port(), "/whoami");
			String missing = TestPki.get(this.bare, service.port(), "/whoami");
			TestPki.get(this.bare, service.port(), "/whoami");

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
		SSLContext twice = this.pki.clientContext(this.pki.ca()
			.certificate("twice")
			.uris("spiffe://acme.org/a", "spiffe://acme.org/b")
			.clientAuth()
			.issue());
		try (TestService service = TestService.start(this.pki.serviceProperties("mtls.principal.name=spiffe-id"))) {
			assertThat(TestPki.get(twice, service.port(), "/whoami")).startsWith("HTTP/1.1 401");
			assertThat(output).contains("2 spiffe:// URI SANs, where a SPIFFE ID must be unique");
		}
	}

	@Test
	void requestWhenClientPresentsCaCertificateThenUnauthorized(CapturedOutput output) throws IOException {
		IssuedCertificate intermediate = this.pki.ca().certificate("Intermediate CA").ca().issue();
		try (TestService service = TestService.start(this.pki.serviceProperties())) {
			assertThat(TestPki.get(this.pki.clientContext(intermediate), service.port(), "/whoami"))
				.startsWith("HTTP/1.1 401");
			assertThat(output).contains("'CN=Intermediate CA' is a CA certificate, which cannot be a client");
		}
	}

	@Test
	void authenticateWhenCertificateLacksAttributeThenListenerToldMissingAttribute() {
		IssuedCertificate bare = this.pki.ca().certificate("bare").clientAuth().issue();

		assertThat(failuresTold(PrincipalName.SPIFFE_ID, bare))
			.containsExactly(AuthenticationFailure.MISSING_ATTRIBUTE);
	}

	@Test
	void authenticateWhenCaCertificateThenListenerToldCaCertificate() {
		IssuedCertificate intermediate = this.pki.ca().certificate("Intermediate CA").ca().issue();

		assertThat(failuresTold(PrincipalName.CN, intermediate)).containsExactly(AuthenticationFailure.CA_CERTIFICATE);
	}

	@Test
	void requestWhenSubjectAndSanHoldFakeLogLineThenUnauthorizedAndLoggedEscapedOnOneLine(CapturedOutput output)
			throws IOException {
		String fakePrefix = "1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: admin";
		IssuedCertificate forger = this.pki.ca()
			.certificate("evil\n" + fakePrefix)
			.organization("Evil\u2028")
			.emails("x\n" + fakePrefix + "@acme.org")
			.clientAuth()
			.issue();
		try (TestService service = TestService.start(this.pki.serviceProperties("mtls.principal.name=spiffe-id",
				"logging.level.org.springframework.security=trace", "logging.level.dev.mtls.boot=trace"))) {
			assertThat(TestPki.get(this.pki.clientContext(forger), service.port(), "/whoami"))
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

	/**
	 * Authenticate a certificate that must be refused, and return what the listener was
	 * told.
	 */
	private static List<AuthenticationFailure> failuresTold(PrincipalName name, IssuedCertificate certificate) {
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
