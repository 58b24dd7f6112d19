package dev.mtls.boot.autoconfigure.http.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound clients stream a streamed request body: the starter's handshake diagnostics do
 * not make Spring buffer it (as a request interceptor would), so it is sent chunked,
 * without a {@code Content-Length}, with each client library Spring Boot can pick.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsClientStreamingTests {

	private static final int SIZE = 100 * 1024;

	@ParameterizedTest
	@ValueSource(strings = { "jdk", "http-components", "reactor" })
	void restClientWhenBodyStreamedThenSentChunked(String factory, TestCertificateAuthority ca) {
		String[] serverProperties = ca.writeServiceProperties();
		String[] callerProperties = ca.writeServiceProperties("spring.http.clients.imperative.factory=" + factory);
		try (TestService server = TestService.start(UploadApp.class, serverProperties);
				TestService caller = TestService.start(callerProperties)) {
			String received = caller.context()
				.getBean(RestClient.Builder.class)
				.build()
				.post()
				.uri("https://127.0.0.1:" + server.port() + "/upload")
				.body(MtlsClientStreamingTests::write)
				.retrieve()
				.body(String.class);

			assertThat(received).isEqualTo("chunked, no Content-Length, " + SIZE + " bytes");
		}
	}

	@Test
	void restTemplateWhenBodyStreamedThenSentChunked(TestCertificateAuthority ca) {
		String[] serverProperties = ca.writeServiceProperties();
		String[] callerProperties = ca.writeServiceProperties();
		try (TestService server = TestService.start(UploadApp.class, serverProperties);
				TestService caller = TestService.start(callerProperties)) {
			String received = caller.context()
				.getBean(RestTemplateBuilder.class)
				.build()
				.execute(URI.create("https://127.0.0.1:" + server.port() + "/upload"), HttpMethod.POST, (request) -> {
					assertThat(request).isInstanceOf(StreamingHttpOutputMessage.class);
					((StreamingHttpOutputMessage) request).setBody(MtlsClientStreamingTests::write);
				}, (response) -> StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8));

			assertThat(received).isEqualTo("chunked, no Content-Length, " + SIZE + " bytes");
		}
	}

	private static void write(OutputStream body) throws IOException {
		byte[] kilobyte = new byte[1024];
		for (int i = 0; i < SIZE / kilobyte.length; i++) {
			body.write(kilobyte);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class UploadApp {

		@PostMapping("/upload")
		String upload(HttpServletRequest request) throws IOException {
			long size = request.getInputStream().transferTo(OutputStream.nullOutputStream());
			String length = (request.getHeader("Content-Length") != null)
					? "Content-Length " + request.getHeader("Content-Length") : "no Content-Length";
			return request.getHeader("Transfer-Encoding") + ", " + length + ", " + size + " bytes";
		}

	}

}
