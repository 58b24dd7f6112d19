package dev.mtls.boot.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.CountingKeyManager;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * The refusal log of {@link ValidatingTrustManager}, through real handshakes with a
 * service on the starter.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class ValidatingTrustManagerTests {

	private static final String FAKE_PREFIX = "1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: admin";

	@Test
	void handshakeWhenUntrustedSubjectHoldsFakeLogLineThenRefusalLoggedEscapedOnOneLine(TestCertificateAuthority ca,
			CapturedOutput output) {
		IssuedCertificate forger = CertificateAuthority.selfSigned("evil\n" + FAKE_PREFIX)
			.organization("Evil\r\u001B[2K\u2028\u202E")
			.clientAuth()
			.issue();

		try (TestService service = TestService.start(ca.writeServiceProperties())) {
			assertThatIOException().isThrownBy(() -> TlsProbe.get(presenting(forger, ca), service.port(), "/whoami"));

			// The server logs from its own thread, maybe after the client saw the alert.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("Refused client certificate: certificate 'CN=evil\\n"
						+ FAKE_PREFIX + ",O=Evil\\r\\u001B[2K\\u2028\\u202E' (issuer 'CN=evil\\n" + FAKE_PREFIX));
		}
		assertThat(output.toString().lines()).noneMatch((line) -> line.startsWith(FAKE_PREFIX.substring(0, 24)))
			.filteredOn((line) -> line.contains("forged: admin"))
			.allMatch((line) -> line.contains("evil\\n" + FAKE_PREFIX));
		assertThat(output.toString()).doesNotContain("\r\u001B", "\u2028", "\u202E");
	}

	@Test
	void checkServerTrustedWhenHostNameCheckAskedAndHostUnknownThenRefused() throws Exception {
		CertificateAuthority ca = CertificateAuthority.create("Server CA");
		X509Certificate server = ca.certificate("orders")
			.dnsNames("orders.example")
			.serverAuth()
			.issue()
			.getCertificate();
		ValidatingTrustManager trustManager = new ValidatingTrustManager(() -> CertificateValidator
			.of(List.of(ca.getCertificate()), List.of(), CertificatePolicy.DEFAULT, Clock.systemUTC()));
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, null, null);
		SSLEngine withoutHost = context.createSSLEngine();
		withoutHost.setUseClientMode(true);
		SSLParameters parameters = withoutHost.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		withoutHost.setSSLParameters(parameters);
		SSLEngine withHost = context.createSSLEngine("orders.example", 443);
		withHost.setUseClientMode(true);
		withHost.setSSLParameters(parameters);
		X509Certificate[] chain = { server };

		assertThatExceptionOfType(CertificateRejectedException.class)
			.isThrownBy(() -> trustManager.checkServerTrusted(chain, "ECDHE_ECDSA", withoutHost))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(CertificateRejectedException.Reason.NAME_MISMATCH));
		trustManager.checkServerTrusted(chain, "ECDHE_ECDSA", withHost);
		SSLEngine noCheckAsked = context.createSSLEngine();
		noCheckAsked.setUseClientMode(true);
		trustManager.checkServerTrusted(chain, "ECDHE_ECDSA", noCheckAsked);
	}

	@Test
	void handshakeWhenExpiredClientRetriesThenRefusalLoggedOnceAtWarn(TestCertificateAuthority ca,
			CapturedOutput output) throws InterruptedException {
		TestCertificate late = ca.client((spec) -> spec.commonName("late").expired());

		try (TestService service = TestService.start(ca.writeServiceProperties())) {
			for (int attempt = 0; attempt < 3; attempt++) {
				assertThatIOException()
					.isThrownBy(() -> TlsProbe.get(late.sslBundle().createSslContext(), service.port(), "/whoami"));
				// Each refusal's message names the time of its check: let it differ.
				Thread.sleep(5);
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("Refused client certificate: certificate 'CN=late'"));
		}
		assertThat(output.toString()
			.lines()
			.filter((line) -> line.contains(" WARN ")
					&& line.contains("Refused client certificate: certificate 'CN=late'")))
			.hasSize(1);
	}

	/**
	 * A client context that presents its certificate whatever CAs the server names, as an
	 * attacker's client would (the JDK's own sends none that chains to none of them).
	 */
	private static SSLContext presenting(IssuedCertificate client, TestCertificateAuthority ca)
			throws GeneralSecurityException {
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(ca.getTrustStore());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { new CountingKeyManager(client) }, trustManagers.getTrustManagers(), null);
		return context;
	}

}
