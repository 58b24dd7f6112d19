package dev.mtls.boot.servers;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.spiffe.SpiffeWorkloadApiSource;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.spiffe.TestWorkloadApi;
import dev.mtls.boot.testsupport.HandshakeRefusal;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Identity and trust from the SPIFFE Workload API ({@code mtls.spiffe.enabled}), served
 * by {@link TestWorkloadApi} on a real Unix domain socket: callers are named by their
 * SPIFFE ID, each is validated against its own trust domain's bundle only, and SVID and
 * CA rotations, and the agent's loss and return, reach new connections with no failed
 * request. A federated trust domain's CA vouches only for SPIFFE IDs of its domain, so
 * rules by common name never match its peers.
 */
abstract class SpiffeSuite extends ServerSuite {

	private static final String TRUST_DOMAIN = "example.org";

	private static final String SERVER_ID = "spiffe://example.org/server";

	private static final Duration UPDATE_BOUND = Duration.ofSeconds(10);

	private static final int CLIENTS = 3;

	private static final int LOAD_PER_STEP = 15;

	TestWorkloadApi agent;

	IssuedCertificate orders;

	SpiffeSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.agent = TestWorkloadApi.start(ca.getDirectory().resolve("agent.sock"), TRUST_DOMAIN);
		this.agent.issue(SERVER_ID);
		this.orders = svid(this.agent.getAuthority(), "spiffe://example.org/orders");
		return new String[] { "mtls.spiffe.enabled=true",
				"mtls.spiffe.endpoint-socket=" + this.agent.getEndpointSocket(), "mtls.spiffe.initial-timeout=10s",
				"mtls.spiffe.expected-servers[localhost]=" + SERVER_ID, "mtls.authorization.rules[0].paths=/admin/**",
				"mtls.authorization.rules[0].allow=cn:ops-console", "mtls.authorization.rules[1].paths=/reports/**",
				"mtls.authorization.rules[1].allow[0]=spiffe://ops-partner.org/console",
				"mtls.authorization.rules[1].allow[1]=cn:ops-console" };
	}

	@AfterAll
	void stopAgent() {
		if (this.agent != null) {
			this.agent.close();
		}
	}

	@Test
	void callerWhenSvidOfOwnTrustDomainThenNamedBySpiffeId() throws IOException {
		Response response = spiffeRequest(client(this.orders));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("spiffe://example.org/orders");
	}

	@Test
	void serverWhenCalledThenPresentsItsSvid() throws Exception {
		assertThat(serverCertificate(client(this.orders)).getSubjectAlternativeNames())
			.containsExactly(List.of(6, SERVER_ID));
	}

	@Test
	void callerWhenCertificateWithoutSpiffeIdThenRefused(CapturedOutput output) {
		IssuedCertificate plain = this.agent.getAuthority().certificate("no-id-" + this.server).clientAuth().issue();
		HandshakeRefusal.assertRefused(() -> spiffeRequest(client(plain)), output, "is no SPIFFE peer");
	}

	@Test
	void callerWhenFederatedTrustDomainThenAcceptedAndItsCaVouchesForNoOtherDomain(CapturedOutput output)
			throws IOException {
		CertificateAuthority partner = CertificateAuthority.create("Partner CA " + this.server);
		this.agent.federate("partner.org", partner.getCertificate());
		IssuedCertificate partnerClient = svid(partner, "spiffe://partner.org/billing");
		await().atMost(UPDATE_BOUND).ignoreExceptions().untilAsserted(() -> {
			Response response = spiffeRequest(client(partnerClient));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("spiffe://partner.org/billing");
		});
		// The partner's CA signs an ID of our trust domain: refused, though the CA is
		// trusted.
		IssuedCertificate impostor = svid(partner, "spiffe://example.org/impostor-" + this.server);
		HandshakeRefusal.assertRefused(() -> spiffeRequest(client(impostor)), output,
				"unable to find valid certification path");
		// And our CA signing an ID of the partner's domain.
		IssuedCertificate reversed = svid(this.agent.getAuthority(), "spiffe://partner.org/reversed-" + this.server);
		HandshakeRefusal.assertRefused(() -> spiffeRequest(client(reversed)), output, "reversed-" + this.server);
	}

	@Test
	void callerWhenFederatedWithOurCommonNameThenOnlySpiffeIdRulesAllowIt() throws IOException {
		CertificateAuthority partner = CertificateAuthority.create("Ops partner CA " + this.server);
		this.agent.federate("ops-partner.org", partner.getCertificate());
		// The partner's CA may write any common name beside its own SPIFFE ID.
		IssuedCertificate partnerClient = partner.certificate("ops-console")
			.uris("spiffe://ops-partner.org/console")
			.clientAuth()
			.issue();
		await().atMost(UPDATE_BOUND).ignoreExceptions().untilAsserted(() -> {
			Response response = request(client(partnerClient), "GET", "/reports/x", SpiffeSuite::withoutHostNameCheck);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("spiffe://ops-partner.org/console");
		});

		Response admin = request(client(partnerClient), "GET", "/admin/x", SpiffeSuite::withoutHostNameCheck);

		assertThat(admin.status()).isEqualTo(403);
		// One of our own trust domain with that common name is allowed by the rule.
		IssuedCertificate ours = this.agent.getAuthority()
			.certificate("ops-console")
			.uris("spiffe://example.org/ops-console")
			.clientAuth()
			.issue();
		assertThat(request(client(ours), "GET", "/admin/x", SpiffeSuite::withoutHostNameCheck).status()).isEqualTo(200);
	}

	@Test
	void svidWhenRotatedUnderLoadThenNewConnectionsGetItAndNoRequestFails() throws Exception {
		MtlsTlsMaterial material = this.service.context().getBean(MtlsTlsMaterial.class);
		try (Load load = Load.start(CLIENTS, this::ordersRequest)) {
			load.awaitMoreRequests(LOAD_PER_STEP);
			for (int i = 0; i < 3; i++) {
				long reloads = material.getReloadCount();
				IssuedCertificate next = this.agent.rotate();
				await().atMost(UPDATE_BOUND)
					.pollInterval(Duration.ofMillis(50))
					.untilAsserted(() -> assertThat(serverCertificate(client(this.orders)).getSerialNumber())
						.isEqualTo(next.getCertificate().getSerialNumber()));
				assertThat(material.getReloadCount()).isGreaterThan(reloads);
				load.awaitMoreRequests(LOAD_PER_STEP);
			}
			load.stopAndAssertNoFailures();
		}
	}

	@Test
	void authorityWhenRotatedUnderLoadThenCallersOfBothCasAcceptedAndNoRequestFails() throws Exception {
		try (Load load = Load.start(CLIENTS, this::ordersRequest)) {
			load.awaitMoreRequests(LOAD_PER_STEP);
			// As a SPIRE server rotates: the next CA is in every bundle before it signs.
			// Rotated at once, a load client holding the bundle it read just before would
			// meet a server SVID of a CA it does not know yet (a flaky failure on Jetty).
			CertificateAuthority next = this.agent.prepareAuthority();
			load.awaitMoreRequests(LOAD_PER_STEP);
			this.agent.rotateAuthority(next);
			IssuedCertificate fromNewCa = svid(next, "spiffe://example.org/payments");
			await().atMost(UPDATE_BOUND).ignoreExceptions().untilAsserted(() -> {
				Response response = spiffeRequest(client(fromNewCa, this.agent.getBundle()));
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("spiffe://example.org/payments");
			});
			load.awaitMoreRequests(LOAD_PER_STEP);
			load.stopAndAssertNoFailures();
		}
	}

	@Test
	void agentWhenLostThenLastSvidServesAndWhenBackThenRotationsFollow(CapturedOutput output) throws Exception {
		SpiffeWorkloadApiSource source = this.service.context().getBean(SpiffeWorkloadApiSource.class);
		try (Load load = Load.start(CLIENTS, this::ordersRequest)) {
			load.awaitMoreRequests(LOAD_PER_STEP);
			this.agent.stop();
			await().atMost(UPDATE_BOUND).until(() -> !source.isConnected());
			assertThat(output).contains("Lost the SPIFFE Workload API at " + this.agent.getEndpointSocket());
			load.awaitMoreRequests(LOAD_PER_STEP);
			this.agent.start();
			await().atMost(Duration.ofSeconds(40)).until(source::isConnected);
			IssuedCertificate next = this.agent.rotate();
			await().atMost(UPDATE_BOUND)
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(() -> assertThat(serverCertificate(client(this.orders)).getSerialNumber())
					.isEqualTo(next.getCertificate().getSerialNumber()));
			load.awaitMoreRequests(LOAD_PER_STEP);
			load.stopAndAssertNoFailures();
		}
	}

	@Test
	void healthWhenAgentAwayThenUpUntilSvidExpiresThenDown() throws Exception {
		HealthIndicator health = this.service.context().getBean("spiffeHealthIndicator", HealthIndicator.class);
		assertThat(health.health(true).getDetails()).containsEntry("agent", "connected")
			.containsEntry("spiffeId", SERVER_ID);
		IssuedCertificate shortLived = this.agent.validFor(Duration.ofSeconds(6)).rotate();
		await().atMost(UPDATE_BOUND)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(serverCertificate(client(this.orders)).getSerialNumber())
				.isEqualTo(serial(shortLived)));
		this.agent.stop();
		try {
			await().atMost(UPDATE_BOUND).untilAsserted(() -> {
				Health disconnected = health.health(true);
				assertThat(disconnected.getStatus()).isEqualTo(Status.UP);
				assertThat(disconnected.getDetails()).containsEntry("agent", "disconnected").containsKey("lastProblem");
			});
			await().atMost(UPDATE_BOUND).untilAsserted(() -> {
				Health expired = health.health(true);
				assertThat(expired.getStatus()).isEqualTo(Status.DOWN);
				assertThat(expired.getDetails()).containsEntry("reason",
						"the X.509 SVID in use has expired and the agent is unreachable");
			});
		}
		finally {
			this.agent.start();
			IssuedCertificate renewed = this.agent.validFor(Duration.ofHours(1)).rotate();
			await().atMost(Duration.ofSeconds(40))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(serverCertificate(client(this.orders)).getSerialNumber())
					.isEqualTo(serial(renewed)));
		}
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
	}

	// WebClient on Reactor Netty; RestClient on Apache HttpClient (on the class path) in
	// a
	// servlet application. (A WebFlux application's RestClient gets no request factory
	// customizers from Spring Boot, so Apache's own host name check stays there.)
	@Test
	void outboundWhenServerPresentsExpectedSpiffeIdThenCallSucceedsAndPresentsOwnSvid() {
		WebClient webClient = this.service.context().getBean(WebClient.Builder.class).build();
		assertThat(webClient.get()
			.uri("https://localhost:" + this.service.port() + "/whoami")
			.retrieve()
			.bodyToMono(String.class)
			.block(UPDATE_BOUND)).isEqualTo(SERVER_ID);
		if (this.server != Server.NETTY) {
			RestClient restClient = this.service.context().getBean(RestClient.Builder.class).build();
			assertThat(restClient.get()
				.uri("https://localhost:" + this.service.port() + "/whoami")
				.retrieve()
				.body(String.class)).isEqualTo(SERVER_ID);
		}
	}

	@Test
	void outboundWhenHostWithoutExpectationThenServerMustNameTheHost() {
		WebClient webClient = this.service.context().getBean(WebClient.Builder.class).build();
		assertThatExceptionOfType(WebClientRequestException.class).isThrownBy(() -> webClient.get()
			.uri("https://127.0.0.1:" + this.service.port() + "/whoami")
			.retrieve()
			.bodyToMono(String.class)
			.block(UPDATE_BOUND));
	}

	private Object ordersRequest() throws IOException {
		Response response = spiffeRequest(client(this.orders));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("spiffe://example.org/orders");
		return response;
	}

	// An SVID names no host: the test clients check the server's chain, not its name.
	private Response spiffeRequest(SSLContext client) throws IOException {
		return request(client, "GET", "/whoami", SpiffeSuite::withoutHostNameCheck);
	}

	private X509Certificate serverCertificate(SSLContext client) throws IOException {
		CompletableFuture<X509Certificate> certificate = new CompletableFuture<>();
		TlsProbe.request(client, this.service.port(), "GET", "/whoami", List.of(), (socket) -> {
			withoutHostNameCheck(socket);
			socket.addHandshakeCompletedListener((event) -> {
				try {
					certificate.complete((X509Certificate) event.getPeerCertificates()[0]);
				}
				catch (Exception ex) {
					certificate.completeExceptionally(ex);
				}
			});
		});
		// The JDK calls handshake listeners on a thread of their own.
		return certificate.orTimeout(10, TimeUnit.SECONDS).join();
	}

	private static void withoutHostNameCheck(SSLSocket socket) {
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("");
		socket.setSSLParameters(parameters);
	}

	private SSLContext client(IssuedCertificate certificate) {
		return client(certificate, this.agent.getBundle());
	}

	private static SSLContext client(IssuedCertificate certificate, List<X509Certificate> trusted) {
		try {
			KeyStore trustStore = KeyStore.getInstance("PKCS12");
			trustStore.load(null, null);
			for (int i = 0; i < trusted.size(); i++) {
				trustStore.setCertificateEntry("ca-" + i, trusted.get(i));
			}
			return SslBundle
				.of(SslStoreBundle.of(certificate.toKeyStore("PKCS12", "svid", "secret"), "secret", trustStore),
						SslBundleKey.of("secret", "svid"))
				.createSslContext();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static IssuedCertificate svid(CertificateAuthority authority, String spiffeId) {
		return authority.certificate("svid").withoutCommonName().uris(spiffeId).clientAuth().serverAuth().issue();
	}

	static BigInteger serial(IssuedCertificate certificate) {
		return certificate.getCertificate().getSerialNumber();
	}

}
