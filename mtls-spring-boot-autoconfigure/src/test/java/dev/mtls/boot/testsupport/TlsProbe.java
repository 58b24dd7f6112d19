package dev.mtls.boot.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/1.1 client over a fresh TLS connection to 127.0.0.1, for tests that must
 * tell a refused handshake from an HTTP answer, or change the socket (protocols, suites,
 * SNI) before the handshake. Client contexts come from the test module's SSL bundles:
 * {@code persona.sslBundle().createSslContext()}, or
 * {@code ca.trustOnlySslBundle().createSslContext()} for a client without a certificate.
 */
public final class TlsProbe {

	private TlsProbe() {
	}

	/**
	 * Send {@code GET path} and return the whole response, or throw the I/O or TLS
	 * failure.
	 * @param context the client's SSL context
	 * @param port the server port
	 * @param path the request path
	 * @return the raw HTTP response
	 * @throws IOException on a refused handshake or a closed connection
	 */
	public static String get(SSLContext context, int port, String path) throws IOException {
		return get(context, port, path, (socket) -> {
		});
	}

	/**
	 * Send {@code GET path} and return the whole response, or throw the I/O or TLS
	 * failure.
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

	/**
	 * Send a request without a body and return the whole response.
	 * @param context the client's SSL context
	 * @param port the server port
	 * @param method the HTTP method
	 * @param path the request path
	 * @param socketCustomizer changes to the socket before the handshake
	 * @return the raw HTTP response
	 * @throws IOException on a refused handshake or a closed connection
	 */
	public static String request(SSLContext context, int port, String method, String path,
			Consumer<SSLSocket> socketCustomizer) throws IOException {
		return request(context, port, method, path, List.of(), socketCustomizer);
	}

	/**
	 * Send a request without a body, with headers, and return the whole response.
	 * @param context the client's SSL context
	 * @param port the server port
	 * @param method the HTTP method
	 * @param path the request path
	 * @param headers further header lines, such as {@code X-Name: value}
	 * @param socketCustomizer changes to the socket before the handshake
	 * @return the raw HTTP response
	 * @throws IOException on a refused handshake or a closed connection
	 */
	public static String request(SSLContext context, int port, String method, String path, List<String> headers,
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
			out.write(
					(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n"
							+ headers.stream().map((header) -> header + "\r\n").collect(Collectors.joining()) + "\r\n")
						.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
