package dev.mtls.boot.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.dev.CertificateAuthority;
import dev.mtls.boot.dev.IssuedCertificate;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/**
 * Certificates minted for a test: a CA, a localhost server certificate and an "alice"
 * client certificate, written under a directory, and a raw TLS client to probe servers.
 */
public final class TestPki {

	private final Path directory;

	private final CertificateAuthority ca;

	private final IssuedCertificate server;

	private final IssuedCertificate alice;

	public TestPki(Path directory) {
		this.directory = directory;
		this.ca = CertificateAuthority.create("Test CA");
		this.server = this.ca.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1")
			.serverAuth()
			.clientAuth()
			.issue();
		this.alice = this.ca.certificate("alice").clientAuth().issue();
		this.ca.asIssued().writeCertificate(file("ca.crt"));
		this.server.writeCertificate(file("server.crt"));
		this.server.writePrivateKey(file("server.key"));
	}

	public org.springframework.core.io.ResourceLoader resourceLoader() {
		return new org.springframework.core.io.DefaultResourceLoader();
	}

	public CertificateAuthority ca() {
		return this.ca;
	}

	public IssuedCertificate server() {
		return this.server;
	}

	public IssuedCertificate alice() {
		return this.alice;
	}

	public Path file(String name) {
		return this.directory.resolve(name);
	}

	public String location(String name) {
		return "file:" + file(name);
	}

	public Path write(String name, String content) {
		try {
			return Files.writeString(file(name), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Properties for a service with the server certificate as identity, trusting the CA.
	 * @param more further properties
	 * @return the properties
	 */
	public String[] serviceProperties(String... more) {
		List<String> properties = new java.util.ArrayList<>(List.of(
				"mtls.identity.certificate=" + location("server.crt"),
				"mtls.identity.private-key=" + location("server.key"),
				"mtls.trust.certificates=" + location("ca.crt")));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	public IssuedCertificate expired(String commonName) {
		Instant now = Instant.now();
		return this.ca.certificate(commonName).clientAuth().validity(now.minus(Duration.ofDays(30)),
				now.minus(Duration.ofDays(1))).issue();
	}

	public IssuedCertificate notYetValid(String commonName) {
		Instant now = Instant.now();
		return this.ca.certificate(commonName).clientAuth().validity(now.plus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(30))).issue();
	}

	/**
	 * An SSL context presenting {@code client} (or nothing) and trusting only this CA.
	 * @param client the client certificate, or {@code null}
	 * @return the context
	 */
	public SSLContext clientContext(IssuedCertificate client) {
		return clientContext(client, this.ca.getCertificate());
	}

	public SSLContext clientContext(IssuedCertificate client, X509Certificate trusted) {
		PemSslStore keyStore = (client != null) ? PemSslStore.of(client.getChain(), client.getPrivateKey()) : null;
		return SslBundle.of(new PemSslStoreBundle(keyStore, PemSslStore.of(List.of(trusted), null)))
			.createSslContext();
	}

	/**
	 * Send {@code GET path} over a fresh TLS connection to 127.0.0.1 and return the whole
	 * response, or throw the I/O or TLS failure.
	 * @param context the client's SSL context
	 * @param port the server port
	 * @param path the request path
	 * @param socketCustomizer changes to the socket before the handshake
	 * @return the raw HTTP response
	 * @throws IOException on a refused handshake or a closed connection
	 */
	public static String get(SSLContext context, int port, String path, Consumer<SSLSocket> socketCustomizer)
			throws IOException {
		return request(context, port, "GET", path, socketCustomizer);
	}

	/**
	 * Send a request without a body and return the response status code.
	 * @param context the client's SSL context
	 * @param port the server port
	 * @param method the HTTP method
	 * @param path the request path
	 * @return the status code
	 * @throws IOException on a refused handshake or a closed connection
	 */
	public static int status(SSLContext context, int port, String method, String path) throws IOException {
		String response = request(context, port, method, path, (socket) -> {
		});
		return Integer.parseInt(response.substring(9, 12));
	}

	public static String request(SSLContext context, int port, String method, String path,
			Consumer<SSLSocket> socketCustomizer) throws IOException {
		try (Socket plain = new Socket("127.0.0.1", port);
				SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socketCustomizer.accept(socket);
			socket.startHandshake();
			OutputStream out = socket.getOutputStream();
			out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	public static String get(SSLContext context, int port, String path) throws IOException {
		return get(context, port, path, (socket) -> {
		});
	}

}
