package dev.mtls.sample.reactive;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.dev.DevCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive sample as a user runs it: dev mode, a dev client certificate, real HTTPS
 * on Reactor Netty.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveSampleApplicationTests {

	@TempDir
	static Path directory;

	@Test
	void serverWhenStartedThenReactorNetty() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(NettyWebServer.class);
		}
	}

	@Test
	void helloAndCallWhenDevClientCertificateThenAnswered() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient alice = client(DevCertificates.prepare(directory, List.of("alice", "bob")), "alice");

			HttpResponse<String> hello = alice.send(request(port, "/hello"), BodyHandlers.ofString());
			HttpResponse<String> call = alice.send(request(port, "/call"), BodyHandlers.ofString());

			assertThat(hello.statusCode()).isEqualTo(200);
			assertThat(hello.body()).contains("\"hello\":\"alice\"");
			assertThat(call.statusCode()).isEqualTo(200);
			assertThat(call.body()).contains("\"downstreamSaid\"").contains("\"hello\":\"localhost\"");
		}
	}

	@Test
	void rulesWhenDevClientsThenAdminByDnAndOrdersBySpiffeId() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			DevCertificates dev = DevCertificates.prepare(directory, List.of("alice", "bob"));
			HttpClient alice = client(dev, "alice");
			HttpClient bob = client(dev, "bob");
			HttpClient checkout = client(dev, "spiffe://sample.mtls.dev/ns/shop/sa/checkout");

			assertThat(alice.send(request(port, "/admin/status"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			assertThat(bob.send(request(port, "/admin/status"), BodyHandlers.ofString()).statusCode()).isEqualTo(403);
			assertThat(checkout.send(post(port, "/orders"), BodyHandlers.ofString()).body())
				.contains("\"placedBy\":\"checkout\"");
			assertThat(bob.send(post(port, "/orders"), BodyHandlers.ofString()).statusCode()).isEqualTo(403);
			assertThat(bob.send(request(port, "/orders"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void curlCommandWhenDevModeThenLoggedPathAnsweredOnActualPort(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient alice = client(DevCertificates.prepare(directory, List.of("alice", "bob")), "alice");
			Matcher curl = Pattern.compile("--key \\S+ (https://\\S+)").matcher(output.toString());
			assertThat(curl.find()).as("curl command in %s", output).isTrue();

			HttpResponse<String> response = alice.send(HttpRequest.newBuilder(URI.create(curl.group(1))).build(),
					BodyHandlers.ofString());

			assertThat(curl.group(1)).isEqualTo("https://localhost:" + port + "/hello");
			assertThat(response.statusCode()).isEqualTo(200);
		}
	}

	private static ConfigurableApplicationContext start() {
		// Arguments, since application.yml's server.port would override default
		// properties.
		return new SpringApplicationBuilder(ReactiveSampleApplication.class).run("--server.port=0",
				"--mtls.dev.directory=" + directory);
	}

	private static HttpRequest post(int port, String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build();
	}

	private static HttpClient client(DevCertificates dev, String name) throws IOException {
		PemSslStoreDetails key = PemSslStoreDetails.forCertificate("file:" + dev.clientCertificate(name))
			.withPrivateKey("file:" + dev.clientPrivateKey(name));
		SSLContext context = SslBundle
			.of(new PemSslStoreBundle(key, PemSslStoreDetails.forCertificate("file:" + dev.caCertificate())))
			.createSslContext();
		return HttpClient.newBuilder().sslContext(context).build();
	}

}
