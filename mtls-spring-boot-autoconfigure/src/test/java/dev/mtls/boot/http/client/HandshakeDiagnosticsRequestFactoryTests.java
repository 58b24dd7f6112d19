package dev.mtls.boot.http.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.mock.http.client.MockClientHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HandshakeDiagnosticsRequestFactory}.
 */
class HandshakeDiagnosticsRequestFactoryTests {

	private static final URI ORDERS = URI.create("https://orders:8443/orders");

	@Test
	void createRequestWhenDelegateStreamsThenRequestStreams() throws IOException {
		ClientHttpRequest request = new HandshakeDiagnosticsRequestFactory(new SimpleClientHttpRequestFactory())
			.createRequest(ORDERS, HttpMethod.POST);

		assertThat(request).isInstanceOf(StreamingHttpOutputMessage.class);
		assertThat(request.getURI()).isEqualTo(ORDERS);
		assertThat(request.getMethod()).isEqualTo(HttpMethod.POST);
	}

	@Test
	void createRequestWhenDelegateDoesNotStreamThenRequestDoesNot() throws IOException {
		ClientHttpRequest request = new HandshakeDiagnosticsRequestFactory(
				(uri, method) -> new MockClientHttpRequest(method, uri))
			.createRequest(ORDERS, HttpMethod.GET);

		assertThat(request).isNotInstanceOf(StreamingHttpOutputMessage.class);
	}

	@Test
	void executeWhenHandshakeFailsThenExplained() {
		SSLHandshakeException failure = new SSLHandshakeException("Received fatal alert: bad_certificate");

		assertThatExceptionOfType(MtlsHandshakeException.class).isThrownBy(() -> execute(failure))
			.withMessage("TLS handshake with 'orders' failed: the server refused our certificate (alert "
					+ "bad_certificate). Check that it trusts the CA of mtls.identity and that our certificate is "
					+ "valid and allows clientAuth.")
			.withCause(failure);
	}

	@Test
	void executeWhenOtherFailureThenUnchanged() {
		ConnectException failure = new ConnectException("Connection refused");

		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> execute(failure)).isSameAs(failure);
	}

	@Test
	void destroyThenDelegateDestroyed() throws Exception {
		AtomicBoolean destroyed = new AtomicBoolean();
		class DisposableFactory extends SimpleClientHttpRequestFactory implements DisposableBean {

			@Override
			public void destroy() {
				destroyed.set(true);
			}

		}

		new HandshakeDiagnosticsRequestFactory(new DisposableFactory()).destroy();

		assertThat(destroyed).isTrue();
	}

	private static ClientHttpResponse execute(IOException failure) throws IOException {
		ClientHttpRequestFactory failing = (uri, method) -> new MockClientHttpRequest(method, uri) {

			@Override
			protected ClientHttpResponse executeInternal() throws IOException {
				throw failure;
			}

		};
		return new HandshakeDiagnosticsRequestFactory(failing).createRequest(ORDERS, HttpMethod.GET).execute();
	}

}
