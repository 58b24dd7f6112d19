package dev.mtls.boot.testsupport;

import java.net.SocketException;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Asserts that a server refused a client's certificate in the TLS handshake.
 * <p>
 * A client sees the server's refusal in one of two ways: the fatal alert, or, when the
 * server closes the connection before the client has written its whole flight (TLS 1.3
 * clients finish their side of the handshake before the server has verified their
 * certificate), a broken connection. Neither names the reason, so the server's log of the
 * refused certificate and the reason is required as well.
 */
public final class HandshakeRefusal {

	private HandshakeRefusal() {
	}

	/**
	 * Assert that the call fails as a refused handshake does and that the server logged
	 * the refusal with the given reason.
	 * @param call the client call
	 * @param output the captured output of the server
	 * @param reason a part of the logged reason
	 */
	public static void assertRefused(ThrowingCallable call, CapturedOutput output, String reason) {
		Throwable refusal = catchThrowable(call);
		assertThat(refusal).satisfiesAnyOf(
				(ex) -> assertThat(ex).isInstanceOf(SSLHandshakeException.class)
					.hasMessageContaining("Received fatal alert: "),
				(ex) -> assertThat(ex).isInstanceOf(SocketException.class));
		// The server logs from its own thread, maybe after the client saw the alert.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output).contains("Refused client certificate").contains(reason));
	}

}
