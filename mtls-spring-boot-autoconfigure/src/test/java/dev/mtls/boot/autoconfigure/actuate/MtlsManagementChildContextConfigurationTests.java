package dev.mtls.boot.autoconfigure.actuate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tomcat.HandshakeDeadlineNioProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The separate management server ({@code management.server.port}) through real TLS: its
 * connector serves the starter's {@link SSLContext}, so that policy and revocation refuse
 * a client certificate in the handshake there as on the main port, with each
 * {@code mtls.management.client-auth}.
 */
class MtlsManagementChildContextConfigurationTests {

	@Nested
	class ClientAuthNeed extends RefusingManagementPort {

		ClientAuthNeed() {
			super("mtls.management.client-auth=need");
		}

		@Test
		void healthWhenTrustedClientCertificateThenPresentedAndOk() throws IOException {
			Exchange exchange = this.service.get(this.service.alice, "/actuator/health");

			assertThat(exchange.session().getLocalCertificates()).isNotEmpty();
			assertThat(exchange.response()).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
		}

		@Test
		void handshakeWhenNoClientCertificateThenRefusedWithAlert() {
			assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> this.service.handshake(null))
				.withMessageContaining("Received fatal alert: ");
		}

		@Test
		void handshakeAfterReloadThenNewServerCertificate() throws IOException {
			TestCertificate renewed = this.service.ca.newServerCertificate();
			this.service.ca.writePem("server", renewed);
			assertThat(this.service.service.context().getBean(MtlsTlsMaterial.class).reload()).isTrue();

			Exchange exchange = this.service.get(this.service.alice, "/actuator/health");

			assertThat(((X509Certificate) exchange.session().getPeerCertificates()[0]).getSerialNumber())
				.isEqualTo(renewed.getCertificate().getSerialNumber());
		}

		@Test
		void connectorWhenManagementThenHandshakesBoundedByTheConnectionTimeout() {
			// Tomcat's own timeout lets a peer trickling its handshake in step with the
			// poller's scan hold a connection (SlowClientsSuite, main port).
			assertThat(this.service.managementProtocol()).isInstanceOf(HandshakeDeadlineNioProtocol.class);
		}

		@Test
		void connectorWhenManagementThenSessionsLastNoLongerThanVerdictsAreCached() {
			SSLSessionContext sessions = this.service.managementSessions();

			assertThat(sessions.getSessionTimeout()).isEqualTo((int) Duration.ofMinutes(5).toSeconds());
		}

	}

	@Nested
	class ClientAuthWant extends RefusingManagementPort {

		ClientAuthWant() {
			super("mtls.management.client-auth=want");
		}

		@Test
		void healthWhenNoClientCertificateThenOk() throws IOException {
			Exchange exchange = this.service.get(null, "/actuator/health");

			assertThat(exchange.response()).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
		}

	}

	@Nested
	class ClientAuthNone extends ManagementPort {

		ClientAuthNone() {
			super("mtls.management.client-auth=none");
		}

		@Test
		void healthWhenClientHasCertificateThenNoneRequestedAndOk() throws IOException {
			Exchange exchange = this.service.get(this.service.alice, "/actuator/health");

			assertThat(exchange.session().getLocalCertificates()).isNull();
			assertThat(exchange.response()).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
		}

		@Test
		void handshakeWhenMainPortAndNoClientCertificateThenStillRefused() {
			assertThatExceptionOfType(SSLHandshakeException.class)
				.isThrownBy(() -> ManagementService.handshake(this.service.ca.trustOnlySslBundle().createSslContext(),
						this.service.service.port()))
				.withMessageContaining("Received fatal alert: ");
		}

	}

	@Nested
	class ConscryptEngine extends ManagementPort {

		ConscryptEngine() {
			super("mtls.management.client-auth=need", "mtls.server.engine=conscrypt");
		}

		@Test
		void connectorWhenConscryptThenManagementEnginesComeFromConscrypt() {
			SSLEngine engine = this.service.managementEngine();

			// On Tomcat, the starter's wrapper (which counts refused renegotiations) is
			// named as the engine it wraps.
			assertThat(engine.toString()).startsWith("org.conscrypt.");
		}

		@Test
		void handshakeWhenConscryptAndRevokedClientThenRefusedWithAlert(CapturedOutput output) {
			this.service.assertRefused(this.service.revoked, output,
					"is revoked by the CRL of 'CN=mtls Test Issuing CA'");
		}

		@Test
		void healthWhenConscryptAndTrustedClientCertificateThenOk() throws IOException {
			Exchange exchange = this.service.get(this.service.alice, "/actuator/health");

			assertThat(exchange.response()).startsWith("HTTP/1.1 200");
		}

	}

	/**
	 * Starts a {@link ManagementService} with the given properties once for the tests of
	 * a nested class.
	 */
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
	abstract static class ManagementPort {

		private final String[] properties;

		ManagementService service;

		ManagementPort(String... properties) {
			this.properties = properties;
		}

		@BeforeAll
		void start(TestCertificateAuthority ca) {
			this.service = ManagementService.start(ca, this.properties);
		}

		@AfterAll
		void stop() {
			this.service.close();
		}

	}

	/**
	 * A management port that asks for client certificates: revoked and weak ones are
	 * refused in the handshake.
	 */
	abstract static class RefusingManagementPort extends ManagementPort {

		RefusingManagementPort(String... properties) {
			super(properties);
		}

		@Test
		void handshakeWhenRevokedClientThenRefusedWithAlert(CapturedOutput output) {
			this.service.assertRefused(this.service.revoked, output,
					"is revoked by the CRL of 'CN=mtls Test Issuing CA'");
		}

		@Test
		void handshakeWhenSha1SignedClientThenRefusedWithAlert(CapturedOutput output) {
			this.service.assertRefused(this.service.sha1Signed, output,
					"is signed with SHA1withECDSA; SHA-1 and weaker are refused");
		}

		@Test
		void handshakeWhenRsa1024ClientThenRefusedWithAlert(CapturedOutput output) {
			this.service.assertRefused(this.service.rsa1024, output, "has a 1024-bit RSA key; at least 2048 bits");
		}

	}

	/**
	 * A service with a management server on its own port, a CRL revoking one client and
	 * two clients that break the policy.
	 */
	static final class ManagementService implements AutoCloseable {

		final TestCertificateAuthority ca;

		final TestCertificate alice;

		final TestCertificate revoked;

		final TestCertificate sha1Signed;

		final TestCertificate rsa1024;

		final TestService service;

		private ManagementService(TestCertificateAuthority ca, String... properties) {
			this.ca = ca;
			this.alice = ca.client("alice");
			this.revoked = ca.client("revoked");
			this.sha1Signed = ca.client((spec) -> spec.commonName("old").sha1());
			this.rsa1024 = ca.client((spec) -> spec.commonName("weak").rsa(1024));
			ca.revoke(this.revoked);
			ca.writeCrl();
			String[] all = new String[properties.length + 4];
			all[0] = "mtls.revocation.crls=" + ca.fileLocation("ca.crl");
			all[1] = "management.server.port=0";
			all[2] = "management.server.address=127.0.0.1";
			all[3] = "management.endpoints.web.exposure.include=health";
			System.arraycopy(properties, 0, all, 4, properties.length);
			this.service = TestService.start(ManagementApp.class, ca.writeServiceProperties(all));
		}

		static ManagementService start(TestCertificateAuthority ca, String... properties) {
			return new ManagementService(ca, properties);
		}

		int managementPort() {
			return managementServer().getPort();
		}

		WebServer managementServer() {
			return this.service.context().getBean(ManagementServer.class).server;
		}

		SSLSessionContext managementSessions() {
			return managementCertificate().getSslContext().getServerSessionContext();
		}

		SSLEngine managementEngine() {
			return managementCertificate().getSslContext().createSSLEngine();
		}

		AbstractHttp11Protocol<?> managementProtocol() {
			TomcatWebServer server = (TomcatWebServer) managementServer();
			return (AbstractHttp11Protocol<?>) server.getTomcat().getConnector().getProtocolHandler();
		}

		private SSLHostConfigCertificate managementCertificate() {
			return managementProtocol().findSslHostConfigs()[0].getCertificates().iterator().next();
		}

		Exchange get(TestCertificate client, String path) throws IOException {
			return exchange(clientContext(client), managementPort(), path);
		}

		void handshake(TestCertificate client) throws IOException {
			handshake(clientContext(client), managementPort());
		}

		/**
		 * A client presenting the given certificate, or none, and trusting the test CA.
		 */
		private SSLContext clientContext(TestCertificate client) {
			return (client != null) ? client.sslBundle().createSslContext()
					: this.ca.trustOnlySslBundle().createSslContext();
		}

		void assertRefused(TestCertificate client, CapturedOutput output, String reason) {
			HandshakeRefusal.assertRefused(() -> handshake(client), output, reason);
		}

		/**
		 * Complete the client's side of the handshake, then wait for the server's first
		 * record without sending a request: a server that refuses the client's
		 * certificate answers with an alert (in TLS 1.3 after the client's side is done),
		 * one that accepts it waits for the request until the read times out.
		 */
		static void handshake(SSLContext context, int port) throws IOException {
			try (SSLSocket socket = connect(context, port)) {
				socket.setSoTimeout(3_000);
				socket.startHandshake();
				socket.getInputStream().read();
			}
		}

		static Exchange exchange(SSLContext context, int port, String path) throws IOException {
			try (SSLSocket socket = connect(context, port)) {
				socket.startHandshake();
				OutputStream out = socket.getOutputStream();
				out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				return new Exchange(socket.getSession(), response);
			}
		}

		private static SSLSocket connect(SSLContext context, int port) throws IOException {
			Socket plain = new Socket("127.0.0.1", port);
			SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
			socket.setSoTimeout(10_000);
			return socket;
		}

		@Override
		public void close() {
			this.service.close();
		}

	}

	record Exchange(SSLSession session, String response) {
	}

	@Configuration(proxyBeanMethods = false)
	@Import(TestService.App.class)
	static class ManagementApp {

		@Bean
		ManagementServer managementServer() {
			return new ManagementServer();
		}

	}

	/**
	 * Remembers the management server when its child context publishes it.
	 */
	static class ManagementServer implements ApplicationListener<WebServerInitializedEvent> {

		volatile WebServer server;

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			if ("management".equals(event.getApplicationContext().getServerNamespace())) {
				this.server = event.getWebServer();
			}
		}

	}

}
