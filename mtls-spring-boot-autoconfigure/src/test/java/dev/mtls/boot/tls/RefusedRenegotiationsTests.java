package dev.mtls.boot.tls;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RefusedRenegotiations}, on engines that completed a real handshake in
 * memory. The servers' own refusals are tested in the server suites.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class RefusedRenegotiationsTests {

	private final List<@Nullable X509Certificate> refused = new ArrayList<>();

	private final RefusedRenegotiations renegotiations = new RefusedRenegotiations(new MtlsListener() {

		@Override
		public void renegotiationRefused(@Nullable X509Certificate leaf) {
			RefusedRenegotiationsTests.this.refused.add(leaf);
		}

	});

	private TestCertificate alice;

	private SSLEngine server;

	private TestCertificateAuthority ca;

	@BeforeEach
	void handshake(TestCertificateAuthority ca) throws Exception {
		this.ca = ca;
		this.alice = ca.client("alice");
		this.server = handshake("TLSv1.2");
	}

	@Test
	void recordWhenHandshakeFailsAfterHandshakeCompletedThenCountedAndLoggedOncePerCertificate(CapturedOutput output) {
		assertThat(this.renegotiations.record(this.server,
				new SSLHandshakeException("Client initiated renegotiation is not allowed")))
			.isTrue();
		assertThat(
				this.renegotiations.record(this.server,
						new SSLException("wrapped",
								new SSLException("error:100000b6:SSL routines:OPENSSL_internal:NO_RENEGOTIATION"))))
			.isTrue();

		assertThat(this.refused).containsExactly(this.alice.getCertificate(), this.alice.getCertificate());
		assertThat(output).containsOnlyOnce("WARN")
			.contains("Refused a TLS renegotiation from a client with certificate 'CN=alice'");
	}

	@Test
	void recordWhenOtherFailureAfterHandshakeThenNotCounted() {
		assertThat(this.renegotiations.record(this.server, new SSLException("Tag mismatch"))).isFalse();

		assertThat(this.refused).isEmpty();
	}

	@Test
	void recordWhenTls13ThenNotCounted() throws Exception {
		SSLEngine tls13 = handshake("TLSv1.3");

		assertThat(this.renegotiations.record(tls13, new SSLHandshakeException("Empty client certificate chain")))
			.isFalse();
		assertThat(this.refused).isEmpty();
	}

	@Test
	void recordWhenFirstHandshakeFailsThenNotCounted(TestCertificateAuthority ca) {
		SSLEngine fresh = ca.getServerCertificate().sslBundle().createSslContext().createSSLEngine();

		assertThat(this.renegotiations.record(fresh, new SSLHandshakeException("PKIX path building failed"))).isFalse();
		assertThat(this.refused).isEmpty();
	}

	private SSLEngine handshake(String protocol) throws SSLException {
		SSLEngine server = this.ca.getServerCertificate().sslBundle().createSslContext().createSSLEngine();
		server.setUseClientMode(false);
		server.setNeedClientAuth(true);
		SSLEngine client = this.alice.sslBundle().createSslContext().createSSLEngine("localhost", 443);
		client.setUseClientMode(true);
		client.setEnabledProtocols(new String[] { protocol });
		completeHandshake(client, server);
		assertThat(server.getSession().getProtocol()).isEqualTo(protocol);
		return server;
	}

	private static void completeHandshake(SSLEngine client, SSLEngine server) throws SSLException {
		ByteBuffer toServer = ByteBuffer.allocate(65536);
		ByteBuffer toClient = ByteBuffer.allocate(65536);
		ByteBuffer application = ByteBuffer.allocate(65536);
		ByteBuffer empty = ByteBuffer.allocate(0);
		client.beginHandshake();
		server.beginHandshake();
		for (int round = 0; round < 20 && !(done(client) && done(server)); round++) {
			client.wrap(empty, toServer);
			runTasks(client);
			toServer.flip();
			server.unwrap(toServer, application);
			toServer.compact();
			runTasks(server);
			server.wrap(empty, toClient);
			runTasks(server);
			toClient.flip();
			client.unwrap(toClient, application);
			toClient.compact();
			runTasks(client);
		}
	}

	private static boolean done(SSLEngine engine) {
		return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
	}

	private static void runTasks(SSLEngine engine) {
		for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
			task.run();
		}
	}

}
