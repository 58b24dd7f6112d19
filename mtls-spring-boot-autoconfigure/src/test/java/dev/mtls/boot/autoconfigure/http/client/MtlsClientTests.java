package dev.mtls.boot.autoconfigure.http.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.CountingKeyManager;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Outbound calls through the auto-configured client builders, against real mTLS servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsClientTests {

	TestCertificateAuthority ca;

	String[] baseProperties;

	TestService caller;

	@BeforeAll
	void start(TestCertificateAuthority ca) {
		this.ca = ca;
		// Written once: the services of the tests watch these files.
		this.baseProperties = ca.writeServiceProperties();
		this.caller = TestService.start(this.baseProperties);
	}

	@AfterAll
	void stop() {
		this.caller.close();
	}

	@Test
	void restClientWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		String body = restClientGet(this.caller, this.caller.port(), "/whoami");

		assertThat(body).isEqualTo("localhost");
	}

	@Test
	void restTemplateWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		String body = this.caller.context()
			.getBean(RestTemplateBuilder.class)
			.build()
			.getForObject("https://127.0.0.1:" + this.caller.port() + "/whoami", String.class);

		assertThat(body).isEqualTo("localhost");
	}

	@Test
	void restClientWhenServerCertificateFromUntrustedCaThenFails() {
		try (TestCertificateAuthority stranger = TestCertificateAuthority.create();
				TestService server = TestService.start(stranger.writeServiceProperties())) {
			assertRestClientFails(this.caller, server.port()).withStackTraceContaining("no valid path to a trusted CA")
				.withMessageContaining(
						"the server's certificate is not trusted: it does not chain to a CA of mtls.trust");
		}
	}

	@Test
	void restClientWhenServerRefusesOurCertificateThenMessageSaysSo() throws IOException {
		try (TestCertificateAuthority other = TestCertificateAuthority.create();
				TestService server = TestService.start(other.writeServiceProperties())) {
			write("both-" + server.port() + ".crt", this.ca.getCaCertificatePem() + other.getCaCertificatePem());
			try (TestService caller = startTrusting("both-" + server.port() + ".crt")) {
				assertRestClientFails(caller, server.port())
					.withMessageContaining("the server refused our certificate");
			}
		}
	}

	@Test
	void restClientWhenServerNamesOtherCasThenNoCertificateSentAndSaidSo(CapturedOutput output) throws IOException {
		// A CA of its own name, which the server names in its certificate request.
		CertificateAuthority otherCa = CertificateAuthority.create("Unrelated CA");
		write("unrelated-ca.crt", otherCa.asIssued().certificatePem());
		try (TestService server = startTrusting("unrelated-ca.crt")) {
			// With TLS 1.3 the client may write its request before it reads the server's
			// alert, and then sees the connection broken instead.
			assertRestClientFails(this.caller, server.port()).satisfies((ex) -> assertThat(ex.getMessage())
				.containsAnyOf("the server refused our certificate", "Broken pipe", "Connection reset"));
			assertThat(output).contains("A server asked for a client certificate from [CN=Unrelated CA]")
				.contains("no client certificate sent");
		}
	}

	@Test
	void restClientWhenServerNameDoesNotMatchThenFails() {
		try (TestService server = startWithOtherHostName()) {
			assertRestClientFails(this.caller, server.port()).withStackTraceContaining("127.0.0.1")
				.withStackTraceContaining("subject alternative names")
				.withMessageContaining("the server's certificate does not match the host name '127.0.0.1'");
		}
	}

	@Test
	void restClientWhenHostnameVerificationOffThenNameMismatchAccepted() {
		try (TestService server = startWithOtherHostName();
				TestService relaxed = TestService.start(serviceProperties("mtls.client.hostname-verification=false"))) {
			String body = restClientGet(relaxed, server.port(), "/whoami");

			assertThat(body).isEqualTo("localhost");
		}
	}

	@Test
	void restClientWhenHostnameVerificationOffThenUntrustedServerStillRefused() {
		try (TestCertificateAuthority stranger = TestCertificateAuthority.create();
				TestService server = TestService.start(stranger.writeServiceProperties());
				TestService relaxed = TestService.start(serviceProperties("mtls.client.hostname-verification=false"))) {
			assertRestClientFails(relaxed, server.port()).withStackTraceContaining("no valid path to a trusted CA");
		}
	}

	@Test
	void restClientWhenClientDisabledThenNoIdentityPresented() {
		try (TestService plain = TestService.start(serviceProperties("mtls.client.enabled=false"))) {
			assertRestClientFails(plain, this.caller.port());
		}
	}

	@Test
	void restClientWhenJdkClientAndHostnameVerificationOffThenNameMismatchAccepted() {
		assertHostnameVerificationOff("jdk");
	}

	@Test
	void restClientWhenApacheClientAndHostnameVerificationOffThenNameMismatchAccepted() {
		assertHostnameVerificationOff("http-components");
	}

	@Test
	void restClientWhenReactorClientAndHostnameVerificationOffThenNameMismatchAccepted() {
		assertHostnameVerificationOff("reactor");
	}

	private void assertHostnameVerificationOff(String factory) {
		try (TestService server = startWithOtherHostName();
				TestService strict = TestService
					.start(serviceProperties("spring.http.clients.imperative.factory=" + factory));
				TestService relaxed = TestService.start(serviceProperties("mtls.client.hostname-verification=false",
						"spring.http.clients.imperative.factory=" + factory))) {
			assertRestClientFails(strict, server.port());
			assertThat(restClientGet(relaxed, server.port(), "/whoami")).isEqualTo("localhost");
		}
	}

	@Test
	void webClientWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		String body = webClientGet(this.caller, this.caller.port(), "/whoami");

		assertThat(body).isEqualTo("localhost");
	}

	@Test
	void httpServiceClientWhenServerNeedsClientCertificateThenIdentityPresentedAndAccepted() {
		try (TestService client = TestService.start(ServiceClientApp.class, serviceProperties(
				"spring.http.serviceclient.whoami.base-url=https://127.0.0.1:" + this.caller.port()))) {
			WhoAmI whoAmI = client.context().getBean(WhoAmI.class);

			assertThat(whoAmI.whoami()).isEqualTo("localhost");
		}
	}

	/**
	 * The body of a GET through the caller's auto-configured {@link RestClient.Builder}.
	 */
	private static String restClientGet(TestService caller, int port, String path) {
		return caller.context()
			.getBean(RestClient.Builder.class)
			.build()
			.get()
			.uri("https://127.0.0.1:" + port + path)
			.retrieve()
			.body(String.class);
	}

	/**
	 * The body of a GET through the caller's auto-configured {@link WebClient.Builder}.
	 */
	private static String webClientGet(TestService caller, int port, String path) {
		return caller.context()
			.getBean(WebClient.Builder.class)
			.build()
			.get()
			.uri("https://127.0.0.1:" + port + path)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
	}

	/**
	 * Assert that a GET of {@code /whoami} through the caller's {@link RestClient} fails.
	 */
	private static ThrowableAssertAlternative<ResourceAccessException> assertRestClientFails(TestService caller,
			int port) {
		return assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> restClientGet(caller, port, "/whoami"));
	}

	/**
	 * The test CA's service properties (written once, in {@link #start}) and more.
	 */
	private String[] serviceProperties(String... more) {
		List<String> properties = new ArrayList<>(List.of(this.baseProperties));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	/**
	 * Write a file into the test CA's directory.
	 */
	private Path write(String fileName, String content) throws IOException {
		return Files.writeString(this.ca.getDirectory().resolve(fileName), content);
	}

	/**
	 * A service with the server certificate as identity that trusts only the CAs in the
	 * given file of the test CA's directory.
	 */
	private TestService startTrusting(String certificates) {
		return TestService.start("mtls.identity.certificate=" + this.ca.fileLocation("server.crt"),
				"mtls.identity.private-key=" + this.ca.fileLocation("server.key"),
				"mtls.trust.certificates=" + this.ca.fileLocation(certificates));
	}

	/**
	 * A server trusted by the caller's CA whose certificate names only another host.
	 */
	private TestService startWithOtherHostName() {
		TestCertificate other = this.ca
			.client((spec) -> spec.commonName("other").dnsName("other.example").serverAuthUsage());
		PemFiles files = this.ca.writePem("other", other);
		return TestService.start("mtls.identity.certificate=" + files.certificateLocation(),
				"mtls.identity.private-key=" + files.privateKeyLocation(),
				"mtls.trust.certificates=" + this.ca.fileLocation("ca.crt"));
	}

	@Test
	void webClientWhenTrustReloadedThenResumedSessionEndedAndServerRefusedInFullHandshake() throws Exception {
		try (HandshakeCountingServer server = new HandshakeCountingServer(this.ca);
				TestService caller = startWithReloadableTrust("webclient")) {
			// One client for all calls: a client built anew would have a session cache of
			// its
			// own, and nothing to resume.
			WebClient client = caller.context().getBean(WebClient.Builder.class).build();
			Supplier<String> call = () -> client.get()
				.uri("https://127.0.0.1:" + server.port() + "/")
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(10));

			assertSessionEndedOnReload(caller, server, call);
		}
	}

	@Test
	void restClientWhenReactorClientAndTrustReloadedThenResumedSessionEndedAndServerRefusedInFullHandshake()
			throws Exception {
		try (HandshakeCountingServer server = new HandshakeCountingServer(this.ca);
				TestService caller = startWithReloadableTrust("restclient",
						"spring.http.clients.imperative.factory=reactor")) {
			// One client for all calls: a client built anew would have a session cache of
			// its
			// own, and nothing to resume.
			RestClient client = caller.context().getBean(RestClient.Builder.class).build();
			Supplier<String> call = () -> client.get()
				.uri("https://127.0.0.1:" + server.port() + "/")
				.retrieve()
				.body(String.class);

			assertSessionEndedOnReload(caller, server, call);
		}
	}

	private TestService startWithReloadableTrust(String name, String... more) throws IOException {
		Path trust = write(name + "-trust.crt", this.ca.getCaCertificatePem());
		List<String> properties = new ArrayList<>(List.of(serviceProperties(more)));
		properties.addAll(List.of("mtls.trust.certificates=file:" + trust, "mtls.reload.enabled=false"));
		return TestService.start(properties.toArray(String[]::new));
	}

	private static Path trust(TestService caller) {
		String location = caller.context().getEnvironment().getRequiredProperty("mtls.trust.certificates");
		return Path.of(location.substring("file:".length()));
	}

	/**
	 * Two calls, the second on a resumed session; then the caller trusts another CA only,
	 * and the next call makes a full handshake, which refuses the server.
	 */
	private void assertSessionEndedOnReload(TestService caller, HandshakeCountingServer server, Supplier<String> call) {
		assertThat(call.get()).isEqualTo("ok");
		assertThat(call.get()).isEqualTo("ok");
		assertThat(server.connections()).isEqualTo(2);
		if (Runtime.version().feature() < 25) {
			assertThat(server.fullHandshakes()).as("the second call resumed the session").isOne();
		}
		else {
			// Reactor Netty's JDK engine resumes no session on Java 25: nothing for a
			// reload to end.
			assumeThat(server.fullHandshakes()).as("the second call resumed the session (Java %s)", Runtime.version())
				.isOne();
		}
		CertificateAuthority.create("Other CA").asIssued().writeCertificate(trust(caller));

		assertThat(caller.context().getBean(MtlsTlsMaterial.class).reload()).isTrue();

		assertThatException().isThrownBy(call::get).withStackTraceContaining("no valid path to a trusted CA");
		assertThat(server.fullHandshakes()).isEqualTo(2);
	}

	/**
	 * A plain JSSE server that needs a client certificate, answers every request with
	 * {@code ok} and closes the connection (so that each call is a new connection), and
	 * counts full handshakes: its key manager hands out the server's certificate only in
	 * those, a resumed session does not send it again.
	 */
	private static final class HandshakeCountingServer implements AutoCloseable {

		private final SSLServerSocket listener;

		private final AtomicInteger connections = new AtomicInteger();

		private final CountingKeyManager keyManager;

		private final Thread acceptor;

		HandshakeCountingServer(TestCertificateAuthority ca) throws Exception {
			// A server certificate as the starter's IssuedCertificate, which
			// CountingKeyManager presents.
			this.keyManager = new CountingKeyManager(ca.getIssuingAuthority()
				.certificate("localhost")
				.dnsNames("localhost")
				.ipAddresses("127.0.0.1")
				.serverAuth()
				.clientAuth()
				.issue());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[] { this.keyManager }, ca.trustOnlySslBundle().getManagers().getTrustManagers(),
					null);
			this.listener = (SSLServerSocket) context.getServerSocketFactory()
				.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.listener.setNeedClientAuth(true);
			// TLS 1.2 resumes by session ID in the next handshake, on every JDK; a TLS
			// 1.3
			// ticket arrives after the handshake and may miss a connection closed at
			// once.
			this.listener.setEnabledProtocols(new String[] { "TLSv1.2" });
			this.acceptor = new Thread(this::serve, "handshake-counting-server");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		private void serve() {
			while (!this.listener.isClosed()) {
				try (Socket socket = this.listener.accept()) {
					this.connections.incrementAndGet();
					socket.setSoTimeout(10_000);
					BufferedReader in = new BufferedReader(
							new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
					String line = in.readLine();
					while (line != null && !line.isEmpty()) {
						line = in.readLine();
					}
					socket.getOutputStream()
						.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
								+ "Connection: close\r\n\r\nok")
							.getBytes(StandardCharsets.ISO_8859_1));
					socket.getOutputStream().flush();
				}
				catch (IOException ex) {
					// A refused handshake, or the listener closed.
				}
			}
		}

		int port() {
			return this.listener.getLocalPort();
		}

		int connections() {
			return this.connections.get();
		}

		int fullHandshakes() {
			return this.keyManager.certificatesPresented();
		}

		@Override
		public void close() throws Exception {
			this.listener.close();
			this.acceptor.join(10_000);
		}

	}

	interface WhoAmI {

		@GetExchange("/whoami")
		String whoami();

	}

	@Configuration(proxyBeanMethods = false)
	@Import(TestService.App.class)
	@ImportHttpServices(group = "whoami", types = WhoAmI.class)
	static class ServiceClientApp {

	}

}
