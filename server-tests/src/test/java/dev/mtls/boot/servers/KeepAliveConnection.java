package dev.mtls.boot.servers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection to 127.0.0.1 carrying HTTP/1.1 requests one after another, reading
 * each response by its length or chunks.
 */
final class KeepAliveConnection implements AutoCloseable {

	private final SSLSocket socket;

	private final InputStream in;

	private final OutputStream out;

	private boolean closeAnnounced;

	KeepAliveConnection(SSLContext context, int port) throws IOException {
		this(context, port, (socket) -> {
		});
	}

	KeepAliveConnection(SSLContext context, int port, Consumer<SSLSocket> socketCustomizer) throws IOException {
		Socket plain = new Socket("127.0.0.1", port);
		this.socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
		this.socket.setSoTimeout(10_000);
		socketCustomizer.accept(this.socket);
		this.socket.startHandshake();
		this.in = new BufferedInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	/**
	 * Start a new handshake on the established connection: a client-initiated
	 * renegotiation on TLS 1.2.
	 * @throws IOException if the server refuses it or the connection fails
	 */
	void renegotiate() throws IOException {
		this.socket.startHandshake();
	}

	/**
	 * Send {@code GET path} on the connection and read the response.
	 * @param path the request path
	 * @return the response
	 * @throws IOException if the connection fails or closes
	 */
	Response get(String path) throws IOException {
		this.closeAnnounced = false;
		this.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		String statusLine = readLine();
		int status = Integer.parseInt(statusLine.substring(9, 12));
		int length = -1;
		boolean chunked = false;
		for (String header = readLine(); !header.isEmpty(); header = readLine()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Integer.parseInt(lower.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
			else if (lower.startsWith("connection:") && lower.contains("close")) {
				this.closeAnnounced = true;
			}
		}
		return new Response(status,
				chunked ? readChunks() : new String(readBytes(Math.max(length, 0)), StandardCharsets.UTF_8));
	}

	private String readChunks() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int size = chunkSize(); size > 0; size = chunkSize()) {
			body.writeBytes(readBytes(size));
			readLine();
		}
		// Trailers, up to the empty line.
		String trailer = readLine();
		while (!trailer.isEmpty()) {
			trailer = readLine();
		}
		return body.toString(StandardCharsets.UTF_8);
	}

	private int chunkSize() throws IOException {
		String line = readLine();
		int extension = line.indexOf(';');
		return Integer.parseInt(((extension >= 0) ? line.substring(0, extension) : line).trim(), 16);
	}

	private byte[] readBytes(int count) throws IOException {
		byte[] bytes = this.in.readNBytes(count);
		if (bytes.length < count) {
			throw new IOException("Connection closed in a response body");
		}
		return bytes;
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		for (int next = this.in.read(); next != '\n'; next = this.in.read()) {
			if (next < 0) {
				throw new IOException("Connection closed in a response");
			}
			if (next != '\r') {
				line.append((char) next);
			}
		}
		return line.toString();
	}

	/**
	 * Return whether the last response said {@code Connection: close}.
	 * @return whether the server announced it closes the connection
	 */
	boolean closeAnnounced() {
		return this.closeAnnounced;
	}

	/**
	 * Return whether the server closed the connection after the last response: the next
	 * read ends (or fails) within a few seconds rather than waiting for more data.
	 * @return whether the server closed it
	 */
	boolean closedByServer() {
		try {
			this.socket.setSoTimeout(5_000);
			return this.in.read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
