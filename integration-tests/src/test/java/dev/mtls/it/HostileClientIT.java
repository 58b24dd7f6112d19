package dev.mtls.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.RequiresDocker;
import dev.mtls.it.support.SampleService;
import dev.mtls.it.support.SampleService.Stack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.containers.GenericContainer;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage, plain HTTP and stalled handshakes on the TLS port of the packaged samples, on
 * Tomcat and on Reactor Netty: the service closes the bad connections and keeps serving a
 * good client meanwhile. Every wait is bounded.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "{0}")
@EnumSource(Stack.class)
class HostileClientIT {

	private static final int READ_TIMEOUT_MILLIS = 20_000;

	@Parameter
	Stack stack;

	Path directory;

	TestCertificateAuthority ca;

	int port;

	SSLContext alice;

	GenericContainer<?> service;

	@BeforeParameterizedClassInvocation
	void start() throws IOException {
		this.directory = Files.createTempDirectory("mtls-it-");
		this.ca = Containers.certificateAuthority(this.directory);
		this.ca.writeCaCertificate();
		this.ca.writePem("server", this.ca.getServerCertificate());
		this.alice = this.ca.client("alice").sslBundle().createSslContext();
		this.port = Containers.freePort();
		this.service = SampleService.create(this.stack, this.ca, this.port, "server", stalledHandshakeLimit());
		this.service.start();
	}

	/**
	 * What bounds how long a stalled handshake may hold a connection on the stack's
	 * server.
	 */
	private String[] stalledHandshakeLimit() {
		return switch (this.stack) {
			// A short connection timeout.
			case SERVLET -> new String[] { "--server.tomcat.connection-timeout=5s" };
			// Nothing to set: Reactor Netty ends a handshake still unfinished after 10 s
			// (its SslProvider's default handshake timeout), which the starter keeps.
			case REACTIVE -> new String[0];
		};
	}

	@AfterParameterizedClassInvocation
	void stop() throws IOException {
		if (this.service != null) {
			this.service.stop();
		}
		if (this.directory != null) {
			FileSystemUtils.deleteRecursively(this.directory);
		}
	}

	private void assertGoodClientServed() throws IOException {
		assertThat(TlsProbe.get(this.alice, this.port, "/hello")).startsWith("HTTP/1.1 200")
			.contains("\"hello\":\"alice\"");
	}

	/**
	 * Read until the server closes the connection; return what it sent.
	 */
	private static String readUntilClosed(Socket socket) throws IOException {
		socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		InputStream in = socket.getInputStream();
		try {
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("The server kept a bad connection open for " + READ_TIMEOUT_MILLIS + " ms", ex);
		}
		catch (IOException ex) {
			return "reset: " + ex.getMessage();
		}
	}

	@Test
	void tlsPortWhenGarbageBytesThenConnectionClosedAndGoodClientServed() throws IOException {
		byte[] garbage = new byte[4096];
		new SecureRandom().nextBytes(garbage);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write(garbage);

			String answer = readUntilClosed(socket);

			assertThat(answer).doesNotContain("HTTP/1.1 200");
		}
		assertGoodClientServed();
	}

	@Test
	void tlsPortWhenPlainHttpThenNotServedAndGoodClientServed() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

			String answer = readUntilClosed(socket);

			assertThat(answer).doesNotContain("HTTP/1.1 200").doesNotContain("alice");
		}
		assertGoodClientServed();
	}

	@Test
	void tlsPortWhenStalledHandshakesThenGoodClientServedAndStalledConnectionsClosed() throws IOException {
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				Socket socket = new Socket("127.0.0.1", this.port);
				if (i % 2 == 0) {
					// A TLS record header announcing a 512-byte handshake message that
					// never comes.
					socket.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 });
				}
				stalled.add(socket);
			}

			assertGoodClientServed();
			for (Socket socket : stalled) {
				assertThat(readUntilClosed(socket)).doesNotContain("HTTP/1.1 200");
			}
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
		assertGoodClientServed();
	}

}
