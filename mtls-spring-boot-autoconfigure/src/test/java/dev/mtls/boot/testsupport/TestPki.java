package dev.mtls.boot.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;

/**
 * Certificates minted for a test with the starter's own CA, for unit and integration
 * tests alike: a CA ({@code ca.crt}), a server certificate for localhost and 127.0.0.1
 * ({@code server.crt}, {@code server.key}) and an "alice" client certificate, written as
 * PEM under a directory that containers may mount, plus a raw TLS client to probe
 * servers. Depends on the JDK and the starter's {@code dev} CA only.
 */
public final class TestPki {

	private final Path directory;

	private final CertificateAuthority ca;

	private final IssuedCertificate server;

	private final IssuedCertificate alice;

	public TestPki(Path directory) {
		this.directory = directory;
		readableByOthers(directory);
		this.ca = CertificateAuthority.create("Test CA");
		this.server = this.ca.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1")
			.serverAuth()
			.clientAuth()
			.issue();
		this.alice = this.ca.certificate("alice").clientAuth().issue();
		this.ca.asIssued().writeCertificate(file("ca.crt"));
		write("server", this.server);
	}

	/**
	 * Containers may run as another user than the test JVM.
	 */
	private static void readableByOthers(Path directory) {
		if (Files.getFileAttributeView(directory, PosixFileAttributeView.class) == null) {
			return;
		}
		try {
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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

	public Path directory() {
		return this.directory;
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
	 * Write a certificate (chain, leaf first) and its key as {@code name.crt} and
	 * {@code name.key}.
	 * @param name the file base name
	 * @param certificate the certificate
	 * @return the certificate
	 */
	public IssuedCertificate write(String name, IssuedCertificate certificate) {
		certificate.writeCertificate(file(name + ".crt"));
		certificate.writePrivateKey(file(name + ".key"));
		return certificate;
	}

	/**
	 * Issue a client certificate with the given common name and write it as
	 * {@code name.crt} and {@code name.key}.
	 * @param name the common name and file base name
	 * @return the certificate
	 */
	public IssuedCertificate client(String name) {
		return write(name, this.ca.certificate(name).clientAuth().issue());
	}

	/**
	 * Properties for a service with the server certificate as identity, trusting the CA.
	 * @param more further properties
	 * @return the properties
	 */
	public String[] serviceProperties(String... more) {
		List<String> properties = new ArrayList<>(List.of("mtls.identity.certificate=" + location("server.crt"),
				"mtls.identity.private-key=" + location("server.key"),
				"mtls.trust.certificates=" + location("ca.crt")));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	/**
	 * Issue a client certificate that expired yesterday and write it as {@code name.crt}
	 * and {@code name.key}.
	 * @param commonName the common name and file base name
	 * @return the certificate
	 */
	public IssuedCertificate expired(String commonName) {
		Instant now = Instant.now();
		return write(commonName,
				this.ca.certificate(commonName)
					.clientAuth()
					.validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
					.issue());
	}

	/**
	 * Issue a client certificate valid from tomorrow and write it as {@code name.crt} and
	 * {@code name.key}.
	 * @param commonName the common name and file base name
	 * @return the certificate
	 */
	public IssuedCertificate notYetValid(String commonName) {
		Instant now = Instant.now();
		return write(commonName,
				this.ca.certificate(commonName)
					.clientAuth()
					.validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
					.issue());
	}

	/**
	 * An SSL context presenting {@code client} (or nothing) and trusting only this CA.
	 * @param client the client certificate, or {@code null}
	 * @return the context
	 */
	public SSLContext clientContext(IssuedCertificate client) {
		return clientContext(client, this.ca.getCertificate());
	}

	/**
	 * An SSL context presenting {@code client} (or nothing) and trusting only
	 * {@code trusted}.
	 * @param client the client certificate, or {@code null}
	 * @param trusted the trust anchor
	 * @return the context
	 */
	public SSLContext clientContext(IssuedCertificate client, X509Certificate trusted) {
		try {
			char[] password = "changeit".toCharArray();
			KeyStore keys = KeyStore.getInstance("JKS");
			keys.load(null, null);
			if (client != null) {
				keys.setKeyEntry("client", client.getPrivateKey(), password,
						client.getChain().toArray(X509Certificate[]::new));
			}
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, password);
			KeyStore anchors = KeyStore.getInstance("JKS");
			anchors.load(null, null);
			anchors.setCertificateEntry("trusted", trusted);
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(anchors);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Unable to create the client's SSL context", ex);
		}
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
				SSLSocket socket = (SSLSocket) context.getSocketFactory()
					.createSocket(plain, "127.0.0.1", port, true)) {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socketCustomizer.accept(socket);
			socket.startHandshake();
			OutputStream out = socket.getOutputStream();
			out.write((method + " " + path
					+ " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
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
