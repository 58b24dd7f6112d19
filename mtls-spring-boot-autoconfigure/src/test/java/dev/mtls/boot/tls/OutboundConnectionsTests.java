package dev.mtls.boot.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.CertificateValidator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboundConnections}.
 */
class OutboundConnectionsTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Outbound Test CA");

	private final IssuedCertificate server = this.ca.certificate("orders").dnsNames("orders.svc").serverAuth().issue();

	private final OutboundConnections connections = new OutboundConnections();

	@Test
	void closeRefusedWhenServerStillAcceptedThenConnectionKept() throws Exception {
		SSLEngine engine = SSLContext.getDefault().createSSLEngine("orders.svc", 443);
		this.connections.accepted(engine, chain(), "orders.svc");

		assertThat(this.connections.closeRefused(validator(this.ca))).isZero();
		assertThat(engine.isOutboundDone()).isFalse();
		assertThat(this.connections.size()).isOne();
	}

	@Test
	void closeRefusedWhenServerRefusedThenEngineAndSocketClosedAndForgotten() throws Exception {
		SSLEngine engine = SSLContext.getDefault().createSSLEngine("orders.svc", 443);
		Socket socket = new Socket();
		this.connections.accepted(engine, chain(), "orders.svc");
		this.connections.accepted(socket, chain(), null);

		assertThat(this.connections.closeRefused(validator(CertificateAuthority.create("Other CA")))).isEqualTo(2);
		assertThat(engine.isOutboundDone()).isTrue();
		assertThat(socket.isClosed()).isTrue();
		assertThat(this.connections.size()).isZero();
	}

	@Test
	void closeRefusedWhenServerNoLongerMatchesHostThenClosed() throws Exception {
		SSLEngine engine = SSLContext.getDefault().createSSLEngine("billing.svc", 443);
		this.connections.accepted(engine, chain(), "billing.svc");

		assertThat(this.connections.closeRefused(validator(this.ca))).isOne();
		assertThat(engine.isOutboundDone()).isTrue();
	}

	private X509Certificate[] chain() {
		return this.server.getChain().toArray(X509Certificate[]::new);
	}

	private static CertificateValidator validator(CertificateAuthority trusted) {
		return CertificateValidator.of(List.of(trusted.getCertificate()), List.of(), CertificatePolicy.DEFAULT,
				Clock.systemUTC());
	}

}
