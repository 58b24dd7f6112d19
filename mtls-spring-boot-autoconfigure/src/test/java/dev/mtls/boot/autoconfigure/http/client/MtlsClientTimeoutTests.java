package dev.mtls.boot.autoconfigure.http.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Outbound calls to a peer that accepts connections and never answers (not even the TLS
 * handshake) end within the timeouts, the starter's defaults or Boot's properties, on
 * every client Boot builds. What bounds the handshake differs: the connect timeout on
 * Apache HttpClient, the read timeout on the JDK's client, Reactor Netty's own 10 s
 * handshake timeout. ({@code simple}, Boot's HttpURLConnection factory, refuses the
 * bundle's TLS options at start-up.)
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsClientTimeoutTests {

	@Test
	void restClientWhenPeerNeverAnswersThenDefaultTimeoutsEndCall(TestCertificateAuthority ca) {
		try (SilentPeer peer = new SilentPeer(); TestService caller = TestService.start(ca.writeServiceProperties())) {
			long started = System.nanoTime();

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> restClientGet(caller, peer));

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(
					MtlsClientAutoConfiguration.DEFAULT_CONNECT_TIMEOUT.minusMillis(500),
					MtlsClientAutoConfiguration.DEFAULT_READ_TIMEOUT.plusSeconds(5));
			assertThat(peer.accepted()).isEqualTo(1);
		}
	}

	@Test
	void restClientWhenApacheAndPeerNeverAnswersThenConnectTimeoutEndsHandshake(TestCertificateAuthority ca) {
		assertEndsAtAboutOneSecond("http-components", "1s", "30s", ca);
	}

	@Test
	void restClientWhenJdkAndPeerNeverAnswersThenReadTimeoutEndsHandshake(TestCertificateAuthority ca) {
		assertEndsAtAboutOneSecond("jdk", "30s", "1s", ca);
	}

	// The call ends at the timeout set to 1 s, not at the other one.
	private static void assertEndsAtAboutOneSecond(String factory, String connectTimeout, String readTimeout,
			TestCertificateAuthority ca) {
		try (SilentPeer peer = new SilentPeer();
				TestService caller = TestService
					.start(ca.writeServiceProperties("spring.http.clients.connect-timeout=" + connectTimeout,
							"spring.http.clients.read-timeout=" + readTimeout,
							"spring.http.clients.imperative.factory=" + factory))) {
			long started = System.nanoTime();

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> restClientGet(caller, peer));

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900),
					Duration.ofSeconds(5));
		}
	}

	@Test
	void restClientWhenReactorAndPeerNeverAnswersThenHandshakeTimeoutEndsCall(TestCertificateAuthority ca) {
		try (SilentPeer peer = new SilentPeer();
				TestService caller = TestService.start(ca.writeServiceProperties("spring.http.clients.read-timeout=1s",
						"spring.http.clients.imperative.factory=reactor"))) {
			long started = System.nanoTime();

			assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> restClientGet(caller, peer));

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(9),
					Duration.ofSeconds(15));
		}
	}

	@Test
	void webClientWhenPeerNeverAnswersThenHandshakeTimeoutEndsCall(TestCertificateAuthority ca) {
		try (SilentPeer peer = new SilentPeer();
				TestService caller = TestService
					.start(ca.writeServiceProperties("spring.http.clients.read-timeout=1s"))) {
			long started = System.nanoTime();

			assertThatException().isThrownBy(() -> caller.context()
				.getBean(WebClient.Builder.class)
				.build()
				.get()
				.uri(peer.url())
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(30)));

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(9),
					Duration.ofSeconds(15));
		}
	}

	private static String restClientGet(TestService caller, SilentPeer peer) {
		return caller.context()
			.getBean(RestClient.Builder.class)
			.build()
			.get()
			.uri(peer.url())
			.retrieve()
			.body(String.class);
	}

	/**
	 * Accepts connections on 127.0.0.1 and never reads or writes.
	 */
	private static final class SilentPeer implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> connections = new CopyOnWriteArrayList<>();

		SilentPeer() {
			try {
				this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Thread acceptor = new Thread(this::accept, "silent-peer");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					this.connections.add(this.server.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		String url() {
			return "https://127.0.0.1:" + this.server.getLocalPort() + "/whoami";
		}

		int accepted() {
			return this.connections.size();
		}

		@Override
		public void close() {
			try {
				this.server.close();
				for (Socket connection : this.connections) {
					connection.close();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
