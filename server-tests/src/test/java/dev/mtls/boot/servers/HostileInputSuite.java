package dev.mtls.boot.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unauthenticated peers sending garbage before any handshake cannot make the service log
 * more than a line per cause: each case is sent on 50 connections, and the service logs
 * no line twice (numbers aside) and at most a line per cause.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class HostileInputSuite extends ServerSuite {

	private static final int CONNECTIONS = 50;

	TestCertificate alice;

	HostileInputSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		return ca.writeServiceProperties();
	}

	@Test
	void recordOfMaximumLengthWithOversizedBodyWhenSentRepeatedlyThenLogsAtMostALinePerCause(CapturedOutput output)
			throws IOException {
		byte[] record = new byte[5 + 70 * 1024];
		Arrays.fill(record, (byte) 0x41);
		record[0] = 0x16;
		record[1] = 0x03;
		record[2] = 0x01;
		record[3] = (byte) 0xFF;
		record[4] = (byte) 0xFF;
		assertLogsAtMostALinePerCause(output, record);
	}

	@Test
	void plainHttpWhenSentRepeatedlyThenLogsAtMostALinePerCause(CapturedOutput output) throws IOException {
		assertLogsAtMostALinePerCause(output,
				"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void randomBytesWhenSentRepeatedlyThenLogsAtMostALinePerCause(CapturedOutput output) throws IOException {
		byte[] garbage = new byte[4096];
		new Random(42).nextBytes(garbage);
		assertLogsAtMostALinePerCause(output, garbage);
	}

	private void assertLogsAtMostALinePerCause(CapturedOutput output, byte[] bytes) throws IOException {
		// What the first request logs (the dispatcher's initialization) is not the
		// garbage's.
		request(this.alice.sslBundle().createSslContext(), "GET", "/whoami");
		int before = output.getAll().length();
		for (int i = 0; i < CONNECTIONS; i++) {
			send(bytes);
		}
		// The service goes on serving, and had time to log whatever it logs.
		assertThat(request(this.alice.sslBundle().createSslContext(), "GET", "/whoami").body()).isEqualTo("alice");
		String logged = output.getAll().substring(before);
		// Tomcat, for the oversized record: its buffer expanded, and the failure.
		assertThat(logged.lines()).as(logged).hasSizeLessThanOrEqualTo(2);
		assertThat(logged.lines().map(HostileInputSuite::cause)).as(logged).doesNotHaveDuplicates();
	}

	// A log line without its time, thread and numbers.
	private static String cause(String line) {
		int message = line.indexOf(" : ");
		return ((message >= 0) ? line.substring(message) : line).replaceAll("\\d+", "#");
	}

	private void send(byte[] bytes) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.service.port())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(bytes);
				out.flush();
				InputStream in = socket.getInputStream();
				while (in.read() != -1) {
					// until the server closes
				}
			}
			catch (SocketException ex) {
				// The server closed first (a reset): what a refusal looks like.
			}
		}
	}

}
