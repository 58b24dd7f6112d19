package dev.mtls.boot.servers;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TlsProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of a suite run against every {@link Server}: one application per server,
 * started once for the suite's tests with a test CA of its own, and the clients the tests
 * use. A suite's test class declares one {@code @Nested} subclass per server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
abstract class ServerSuite {

	final Server server;

	TestCertificateAuthority ca;

	RunningServer service;

	ServerSuite(Server server) {
		this.server = server;
	}

	@BeforeAll
	void start(TestCertificateAuthority ca) throws Exception {
		this.ca = ca;
		this.service = RunningServer.start(this.server, properties(ca));
	}

	@AfterAll
	void stop() {
		if (this.service != null) {
			this.service.close();
		}
	}

	/**
	 * Prepare the suite's certificates and files and return the application's properties.
	 * @param ca the suite's test CA
	 * @return {@code name=value} pairs
	 * @throws Exception on a failure to prepare
	 */
	abstract String[] properties(TestCertificateAuthority ca) throws Exception;

	@Test
	void serverWhenStartedThenChosenServerRuns() {
		assertThat(this.service.webServer()).isInstanceOf(this.server.webServerType());
	}

	Response get(TestCertificate client, String path) throws IOException {
		return request(client.sslBundle().createSslContext(), "GET", path);
	}

	Response request(SSLContext client, String method, String path) throws IOException {
		return request(client, method, path, (socket) -> {
		});
	}

	Response request(SSLContext client, String method, String path, Consumer<SSLSocket> socketCustomizer)
			throws IOException {
		return Response.parse(TlsProbe.request(client, this.service.port(), method, path, socketCustomizer));
	}

	/**
	 * Return the count of a counter of the application's meter registry, 0 if it was
	 * never registered.
	 * @param name the counter's name
	 * @param tags its tags, as name and value pairs
	 * @return the count
	 */
	double count(String name, String... tags) {
		Counter counter = this.service.context().getBean(MeterRegistry.class).find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * Request {@code /whoami} and assert that the client was served under the given name.
	 * @param client the client
	 * @param name the name expected
	 * @return the response
	 * @throws IOException if the request fails
	 */
	Response assertServedAs(TestCertificate client, String name) throws IOException {
		Response response = get(client, "/whoami");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(name);
		return response;
	}

	/**
	 * Issue a server identity for {@code localhost} and 127.0.0.1 from the suite's CA.
	 * @param generation a number of its own for each, part of its common name
	 * @return the identity
	 */
	TestCertificate serverIdentity(int generation) {
		return this.ca.client((spec) -> spec.commonName("localhost-" + generation)
			.dnsName("localhost")
			.ipAddress("127.0.0.1")
			.serverAuthUsage());
	}

	/**
	 * Return the serial number of the certificate the server presents to a new
	 * connection.
	 * @param client the client that connects
	 * @return the serial number
	 * @throws IOException if the connection fails
	 */
	BigInteger servedSerial(TestCertificate client) throws IOException {
		CompletableFuture<BigInteger> serial = new CompletableFuture<>();
		TlsProbe.get(client.sslBundle().createSslContext(), this.service.port(), "/whoami",
				(socket) -> socket.addHandshakeCompletedListener((event) -> {
					try {
						serial.complete(((X509Certificate) event.getPeerCertificates()[0]).getSerialNumber());
					}
					catch (Exception ex) {
						serial.completeExceptionally(ex);
					}
				}));
		// The JDK calls handshake listeners on a thread of their own.
		return serial.orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * Return a client that trusts the test CA and has no certificate.
	 * @return the client's SSL context
	 */
	SSLContext withoutCertificate() {
		return this.ca.trustOnlySslBundle().createSslContext();
	}

}
