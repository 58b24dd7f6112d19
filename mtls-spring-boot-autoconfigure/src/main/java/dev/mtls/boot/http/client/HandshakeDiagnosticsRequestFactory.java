package dev.mtls.boot.http.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * A {@link ClientHttpRequestFactory} whose requests turn an outbound TLS handshake
 * failure into an {@link MtlsHandshakeException} that says why in words, as
 * {@link HandshakeDiagnosticsInterceptor} does, without buffering the request body: a
 * request of the wrapped factory that streams its body
 * ({@link StreamingHttpOutputMessage}) still streams it. Initialization and destruction
 * are passed on to the wrapped factory, so it can stand for it as a bean.
 *
 * @since 0.1.0
 */
public class HandshakeDiagnosticsRequestFactory implements ClientHttpRequestFactory, InitializingBean, DisposableBean {

	private final ClientHttpRequestFactory delegate;

	/**
	 * Create a new instance.
	 * @param delegate the factory that makes the requests
	 */
	public HandshakeDiagnosticsRequestFactory(ClientHttpRequestFactory delegate) {
		Assert.notNull(delegate, "'delegate' must not be null");
		this.delegate = delegate;
	}

	/**
	 * Return the factory that makes the requests.
	 * @return the wrapped factory
	 */
	public ClientHttpRequestFactory getDelegate() {
		return this.delegate;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		ClientHttpRequest request = this.delegate.createRequest(uri, httpMethod);
		return (request instanceof StreamingHttpOutputMessage) ? new StreamingDiagnosedRequest(request)
				: new DiagnosedRequest(request);
	}

	@Override
	public void afterPropertiesSet() throws Exception {
		if (this.delegate instanceof InitializingBean initializing) {
			initializing.afterPropertiesSet();
		}
	}

	@Override
	public void destroy() throws Exception {
		if (this.delegate instanceof DisposableBean disposable) {
			disposable.destroy();
		}
	}

	/**
	 * A request of the wrapped factory whose failures are explained.
	 */
	private static class DiagnosedRequest implements ClientHttpRequest {

		protected final ClientHttpRequest delegate;

		DiagnosedRequest(ClientHttpRequest delegate) {
			this.delegate = delegate;
		}

		@Override
		public ClientHttpResponse execute() throws IOException {
			try {
				return this.delegate.execute();
			}
			catch (IOException ex) {
				throw HandshakeDiagnosticsInterceptor.diagnose(this.delegate, ex);
			}
		}

		@Override
		public HttpMethod getMethod() {
			return this.delegate.getMethod();
		}

		@Override
		public URI getURI() {
			return this.delegate.getURI();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.delegate.getAttributes();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public OutputStream getBody() throws IOException {
			return this.delegate.getBody();
		}

	}

	/**
	 * A request of the wrapped factory that streams its body.
	 */
	private static final class StreamingDiagnosedRequest extends DiagnosedRequest
			implements StreamingHttpOutputMessage {

		StreamingDiagnosedRequest(ClientHttpRequest delegate) {
			super(delegate);
		}

		@Override
		public void setBody(Body body) {
			((StreamingHttpOutputMessage) this.delegate).setBody(body);
		}

		@Override
		public void setBody(byte[] body) throws IOException {
			((StreamingHttpOutputMessage) this.delegate).setBody(body);
		}

	}

}
