package dev.mtls.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal HTTPS client on raw sockets to 127.0.0.1, with a bounded read timeout.
 */
public final class TlsClient {

	private TlsClient() {
	}

	/**
	 * Send {@code GET path} on a fresh connection and return the whole response.
	 * @param context the client's SSL context
	 * @param port the server port on 127.0.0.1
	 * @param path the request path
	 * @return the raw HTTP response
	 * @throws IOException on a refused handshake, a timeout or a closed connection
	 */
	public static String get(SSLContext context, int port, String path) throws IOException {
		try (Socket plain = new Socket("127.0.0.1", port);
				SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
