package dev.mtls.boot.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An OCSP responder or CRL distribution point on 127.0.0.1 that fails in one way: it
 * accepts connections and never answers, resets them, or answers 200 with random bytes.
 * One {@link #serving(byte[]) serving} a body answers with it until told to
 * {@link #fail(Fault)}, and counts the requests it answered.
 */
final class FaultyResponder implements AutoCloseable {

	/**
	 * How the responder fails.
	 */
	enum Fault {

		/** Accepts the connection, reads nothing, never answers. */
		HANG,

		/** Accepts the connection and resets it. */
		RESET,

		/** Answers 200 with random bytes. */
		GARBAGE

	}

	private final ServerSocket server;

	private volatile @Nullable Fault fault;

	private volatile byte[] body;

	private final AtomicInteger served = new AtomicInteger();

	private final List<Socket> held = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	private FaultyResponder(@Nullable Fault fault, byte[] body) throws IOException {
		this.fault = fault;
		this.body = body;
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::accept, "faulty-responder-" + fault);
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	static FaultyResponder start(Fault fault) throws IOException {
		return new FaultyResponder(fault, new byte[0]);
	}

	/**
	 * Start a responder that answers every request with the given body until it is told
	 * to {@link #fail(Fault)}.
	 * @param body the body of each answer
	 * @return the responder
	 * @throws IOException on a failure to listen
	 */
	static FaultyResponder serving(byte[] body) throws IOException {
		return new FaultyResponder(null, body);
	}

	/**
	 * Answer with the given body from now on, until told to {@link #fail(Fault)}.
	 * @param body the body of each answer
	 */
	void answer(byte[] body) {
		this.body = body;
	}

	/**
	 * Fail from now on, in the given way.
	 * @param fault how
	 */
	void fail(Fault fault) {
		this.fault = fault;
	}

	/**
	 * Return how many requests were answered with the body.
	 * @return the count
	 */
	int served() {
		return this.served.get();
	}

	/**
	 * Return how many connections a {@link Fault#HANG hanging} responder holds.
	 * @return the count
	 */
	int held() {
		return this.held.size();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getLocalPort() + path;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				Fault current = this.fault;
				if (current == null) {
					answer(socket, this.body);
					this.served.incrementAndGet();
					continue;
				}
				switch (current) {
					case HANG -> this.held.add(socket);
					case RESET -> {
						socket.setSoLinger(true, 0);
						socket.close();
					}
					case GARBAGE -> answerGarbage(socket);
				}
			}
			catch (IOException ex) {
				// Closed, or a client gone: go on until closed.
			}
		}
	}

	private static void answerGarbage(Socket socket) throws IOException {
		byte[] body = new byte[512];
		new SecureRandom().nextBytes(body);
		answer(socket, body);
	}

	private static void answer(Socket socket, byte[] body) throws IOException {
		try (socket) {
			socket.setSoTimeout(2000);
			InputStream in = socket.getInputStream();
			int matched = 0;
			byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
			int read;
			while (matched < end.length && (read = in.read()) != -1) {
				matched = (read == end[matched]) ? matched + 1 : ((read == end[0]) ? 1 : 0);
			}
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: " + body.length
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.held) {
			socket.close();
		}
	}

}
