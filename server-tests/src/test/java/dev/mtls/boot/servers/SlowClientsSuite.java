package dev.mtls.boot.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients do not stop service to others. Slow writers: 100 peers without a
 * certificate trickling a handshake and 20 trusted clients trickling a request's headers,
 * a byte a second each, for longer than the servers' timeouts (8 s here, Reactor Netty's
 * handshake timeout 10 s); every trickled handshake is closed once the timeout has passed
 * since the connection opened, however steadily its bytes come (on Tomcat through the
 * starter's {@code HandshakeDeadlineNioProtocol}: Tomcat's own timeout let about one in a
 * hundred escape). Slow readers: 16 trusted clients reading a 4 MB response a kilobyte
 * every half second. Meanwhile a trusted client makes 20 requests on new connections,
 * spread over the trickle (12 s) or the reading (5 s), each served within 2 s, and the
 * median of them within 3 times its median before (plus 50 ms for the noise of 2 cores).
 */
abstract class SlowClientsSuite extends ServerSuite {

	private static final Duration TIMEOUT = Duration.ofSeconds(8);

	private static final Duration NETTY_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration TRICKLE = Duration.ofSeconds(12);

	/**
	 * Time for a server to notice a passed timeout (Tomcat looks once a second or so) and
	 * for the writer to notice the close (the first write after it may still succeed).
	 */
	private static final Duration MARGIN = Duration.ofSeconds(10);

	private static final int UNAUTHENTICATED_WRITERS = 100;

	private static final int TRUSTED_WRITERS = 20;

	private static final int READERS = 16;

	private static final int SAMPLES = 20;

	private static final Duration EACH_WITHIN = Duration.ofSeconds(2);

	private TestCertificate alice;

	SlowClientsSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		return ca.writeServiceProperties("server.tomcat.connection-timeout=" + TIMEOUT.toSeconds() + "s",
				"server.jetty.connection-idle-timeout=" + TIMEOUT.toSeconds() + "s");
	}

	@Test
	void slowWritersWhenTricklingHandshakesAndHeadersThenOthersServed() throws Exception {
		long before = medianRequestNanos();
		List<Socket> unauthenticated = new ArrayList<>();
		List<Socket> trusted = new ArrayList<>();
		try {
			for (int i = 0; i < UNAUTHENTICATED_WRITERS; i++) {
				Socket socket = new Socket("127.0.0.1", this.service.port());
				// A TLS record header announcing a 512-byte handshake message.
				socket.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 });
				unauthenticated.add(socket);
			}
			for (int i = 0; i < TRUSTED_WRITERS; i++) {
				SSLSocket socket = (SSLSocket) this.alice.sslBundle()
					.createSslContext()
					.getSocketFactory()
					.createSocket("127.0.0.1", this.service.port());
				socket.startHandshake();
				trusted.add(socket);
			}
			byte[] headers = "GET /whoami HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
			long started = System.nanoTime();
			AtomicBoolean trickling = new AtomicBoolean(true);
			AtomicInteger unauthenticatedClosed = new AtomicInteger();
			AtomicInteger trustedClosed = new AtomicInteger();
			Thread trickler = new Thread(() -> {
				for (int second = 0; trickling.get(); second++) {
					unauthenticatedClosed.set(writeOneByteEach(unauthenticated, (byte) 0));
					trustedClosed.set(writeOneByteEach(trusted, headers[Math.min(second, headers.length - 1)]));
					sleepQuietly(Duration.ofSeconds(1));
				}
			}, "slow-writers");
			trickler.start();
			long during;
			Duration allClosed;
			try {
				during = medianRequestNanos(TRICKLE);
				long deadline = started + handshakeTimeout().plus(MARGIN).toNanos();
				while (unauthenticatedClosed.get() < UNAUTHENTICATED_WRITERS && System.nanoTime() < deadline) {
					sleepQuietly(Duration.ofMillis(100));
				}
				allClosed = Duration.ofNanos(System.nanoTime() - started);
			}
			finally {
				trickling.set(false);
				trickler.join();
			}
			System.out.printf(
					"%s: %d peers trickling a handshake and %d trusted clients trickling headers, a byte a second: "
							+ "median request %d ms (before: %d ms); %d trickled handshakes closed within %d s; %d of "
							+ "the trusted clients closed%n",
					this.server, UNAUTHENTICATED_WRITERS, TRUSTED_WRITERS, millis(during), millis(before),
					unauthenticatedClosed.get(), allClosed.toSeconds(), trustedClosed.get());
			assertThat(during).as("median request while slow writers trickle")
				.isLessThan(3 * before + Duration.ofMillis(50).toNanos());
			assertThat(unauthenticatedClosed.get())
				.as("trickled handshakes closed within the %d s handshake timeout and %d s of margin",
						handshakeTimeout().toSeconds(), MARGIN.toSeconds())
				.isEqualTo(UNAUTHENTICATED_WRITERS);
		}
		finally {
			closeAll(unauthenticated);
			closeAll(trusted);
		}
	}

	@Test
	void slowReadersWhenReadingLargeResponsesSlowlyThenOthersServed() throws Exception {
		long before = medianRequestNanos();
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		AtomicBoolean reading = new AtomicBoolean(true);
		AtomicLong bytesRead = new AtomicLong();
		List<Socket> readers = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		try {
			for (int i = 0; i < READERS; i++) {
				Socket plain = new Socket();
				// A small receive window: the server's writes wait for this reader.
				plain.setReceiveBufferSize(4096);
				plain.connect(new InetSocketAddress("127.0.0.1", this.service.port()));
				SSLSocket socket = (SSLSocket) this.alice.sslBundle()
					.createSslContext()
					.getSocketFactory()
					.createSocket(plain, "127.0.0.1", this.service.port(), true);
				socket.getOutputStream()
					.write("GET /bytes HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				readers.add(socket);
				Thread thread = new Thread(() -> readSlowly(socket, reading, bytesRead), "slow-reader-" + i);
				thread.start();
				threads.add(thread);
			}
			sleepQuietly(Duration.ofSeconds(2));
			int threadsReading = ManagementFactory.getThreadMXBean().getThreadCount();
			long during = medianRequestNanos(Duration.ofSeconds(5));
			System.out.printf(
					"%s: %d trusted clients reading 4 MB a kilobyte every 500 ms: median request %d ms (before: %d "
							+ "ms); %d KB read by them; threads %d -> %d (%d of them the readers)%n",
					this.server, READERS, millis(during), millis(before), bytesRead.get() / 1024, threadsBefore,
					threadsReading, READERS);
			assertThat(during).as("median request while slow readers read")
				.isLessThan(3 * before + Duration.ofMillis(50).toNanos());
		}
		finally {
			reading.set(false);
			closeAll(readers);
			for (Thread thread : threads) {
				thread.join();
			}
		}
		assertThat(get(this.alice, "/whoami").body()).isEqualTo("alice");
	}

	private Duration handshakeTimeout() {
		return (this.server == Server.NETTY) ? NETTY_HANDSHAKE_TIMEOUT : TIMEOUT;
	}

	private long medianRequestNanos() throws IOException {
		return medianRequestNanos(Duration.ZERO);
	}

	/**
	 * Make {@link #SAMPLES} requests of a trusted client on new connections, spread over
	 * the given time, each served within {@link #EACH_WITHIN}, and return their median.
	 */
	private long medianRequestNanos(Duration spread) throws IOException {
		List<Long> nanos = new ArrayList<>();
		for (int i = 0; i < SAMPLES; i++) {
			long started = System.nanoTime();
			assertThat(get(this.alice, "/whoami").body()).isEqualTo("alice");
			long took = System.nanoTime() - started;
			assertThat(Duration.ofNanos(took)).as("request %d", i).isLessThan(EACH_WITHIN);
			nanos.add(took);
			sleepQuietly(spread.dividedBy(SAMPLES));
		}
		nanos.sort(null);
		return nanos.get(SAMPLES / 2);
	}

	private static int writeOneByteEach(List<Socket> sockets, byte value) {
		int closed = 0;
		for (Socket socket : sockets) {
			try {
				OutputStream out = socket.getOutputStream();
				out.write(value);
				out.flush();
			}
			catch (IOException ex) {
				closed++;
			}
		}
		return closed;
	}

	private static void readSlowly(Socket socket, AtomicBoolean reading, AtomicLong bytesRead) {
		byte[] buffer = new byte[1024];
		try {
			InputStream in = socket.getInputStream();
			while (reading.get()) {
				int read = in.read(buffer);
				if (read == -1) {
					return;
				}
				bytesRead.addAndGet(read);
				sleepQuietly(Duration.ofMillis(500));
			}
		}
		catch (IOException ex) {
			// Closed by the test, or by the server.
		}
	}

	private static void closeAll(List<Socket> sockets) throws IOException {
		for (Socket socket : sockets) {
			socket.close();
		}
	}

	private static long millis(long nanos) {
		return Duration.ofNanos(nanos).toMillis();
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
