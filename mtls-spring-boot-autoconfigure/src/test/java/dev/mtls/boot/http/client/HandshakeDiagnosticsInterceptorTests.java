package dev.mtls.boot.http.client;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HandshakeDiagnosticsInterceptor}.
 */
class HandshakeDiagnosticsInterceptorTests {

	@Test
	void explainWhenServerCertificateRefusedWithNewlinesThenOneLine() {
		SSLHandshakeException failure = new SSLHandshakeException("PKIX failed");
		failure.initCause(new CertificateRejectedException(Reason.NAME_MISMATCH,
				"certificate is for [evil\n1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged], not for 'orders'"));

		String explained = HandshakeDiagnosticsInterceptor.explain("orders", failure);

		assertThat(explained).doesNotContain("\n").contains("[evil\\n1999-12-31T23:59:59.999Z");
	}

	@Test
	void explainWhenHttpClientNamesServerSansWithNewlinesThenOneLine() {
		SSLPeerUnverifiedException failure = new SSLPeerUnverifiedException(
				"Certificate for <orders> doesn't match any of the subject alternative names: [evil\n1999-12-31T23:59:59.999Z]");

		String explained = HandshakeDiagnosticsInterceptor.explain("orders", failure);

		assertThat(explained).doesNotContain("\n").endsWith("[evil\\n1999-12-31T23:59:59.999Z]");
	}

	@Test
	void explainWhenOtherFailureWithNewlinesThenOneLine() {
		String explained = HandshakeDiagnosticsInterceptor.explain("orders",
				new SSLHandshakeException("odd\r\n1999-12-31T23:59:59.999Z"));

		assertThat(explained).isEqualTo("TLS handshake with 'orders' failed: odd\\r\\n1999-12-31T23:59:59.999Z");
	}

}
