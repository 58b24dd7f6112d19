import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Holds mutual TLS connections to 127.0.0.1 open, each after one kept-alive request, for held.sh. Reads commands on
 * standard input: "open N" opens N more (8 at a time; a connection that fails is counted, not retried), "check" makes
 * one more request on every held connection, "quit" closes them all. Answers each command with one line.
 * Run with: java HeldConnections.java PORT CLIENT_P12 CA_PEM
 */
public class HeldConnections {

	private static final int CONNECT_TIMEOUT_MILLIS = 3000;

	private static final int READ_TIMEOUT_MILLIS = 5000;

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		SSLContext context = context(args[1], args[2]);
		List<SSLSocket> held = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(8);
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
			long started = System.nanoTime();
			if (line.startsWith("open ")) {
				int count = Integer.parseInt(line.substring(5));
				List<Future<String>> results = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					results.add(pool.submit(() -> {
						SSLSocket socket = null;
						try {
							socket = open(context, port);
							request(socket);
							held.add(socket);
							return "ok";
						}
						catch (IOException ex) {
							if (socket != null) {
								socket.close();
							}
							return ex.getClass().getSimpleName() + ": " + ex.getMessage();
						}
					}));
				}
				int opened = 0;
				List<String> failures = new ArrayList<>();
				for (Future<String> result : results) {
					String outcome = result.get();
					if (outcome.equals("ok")) {
						opened++;
					}
					else if (failures.size() < 3) {
						failures.add(outcome);
					}
				}
				System.out.printf("opened %d of %d in %d ms; held %d; failures %d %s%n", opened, count, millis(started),
						held.size(), count - opened, failures);
			}
			else if (line.equals("check")) {
				List<Future<Boolean>> results = new ArrayList<>();
				for (SSLSocket socket : List.copyOf(held)) {
					results.add(pool.submit(() -> {
						try {
							request(socket);
							return true;
						}
						catch (IOException ex) {
							return false;
						}
					}));
				}
				int ok = 0;
				for (Future<Boolean> result : results) {
					ok += result.get() ? 1 : 0;
				}
				System.out.printf("checked %d of %d held connections in %d ms%n", ok, results.size(), millis(started));
			}
			else {
				System.out.println("unknown command " + line);
			}
			System.out.flush();
		}
		pool.shutdownNow();
		pool.awaitTermination(10, TimeUnit.SECONDS);
		for (SSLSocket socket : held) {
			socket.close();
		}
		System.out.println("closed");
	}

	private static SSLContext context(String clientP12, String caPem) throws Exception {
		KeyStore identity = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(clientP12)) {
			identity.load(in, "bench".toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(identity, "bench".toCharArray());
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		try (InputStream in = new FileInputStream(caPem)) {
			trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), trustManagers.getTrustManagers(), null);
		return context;
	}

	private static SSLSocket open(SSLContext context, int port) throws IOException {
		Socket plain = new Socket();
		try {
			plain.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
			plain.setSoTimeout(READ_TIMEOUT_MILLIS);
			SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
			socket.startHandshake();
			return socket;
		}
		catch (IOException ex) {
			plain.close();
			throw ex;
		}
	}

	/** GET /hello on the connection; reads the response by its length, leaving the connection open. */
	private static void request(SSLSocket socket) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int read = in.read();
			if (read == -1) {
				throw new IOException("closed by the server");
			}
			head.append((char) read);
		}
		if (!head.toString().startsWith("HTTP/1.1 200")) {
			throw new IOException("answered " + head.toString().lines().findFirst().orElse(""));
		}
		int length = -1;
		for (String header : head.toString().split("\r\n")) {
			if (header.toLowerCase().startsWith("content-length:")) {
				length = Integer.parseInt(header.substring(15).trim());
			}
		}
		if (length >= 0) {
			in.readNBytes(length);
			return;
		}
		// Chunked: each chunk's size line, its bytes and CRLF, up to the chunk of size 0 and its CRLF.
		for (int size = readChunkSize(in); size > 0; size = readChunkSize(in)) {
			in.readNBytes(size + 2);
		}
		in.readNBytes(2);
	}

	private static int readChunkSize(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int read = in.read(); read != '\n'; read = in.read()) {
			if (read == -1) {
				throw new IOException("closed by the server");
			}
			line.append((char) read);
		}
		return Integer.parseInt(line.toString().trim(), 16);
	}

	private static long millis(long started) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
	}

}
