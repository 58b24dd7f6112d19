package dev.mtls.boot.autoconfigure.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * The actuator side through real TLS: the mtls endpoint, health, info and metrics after
 * known good and bad calls; no key material anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsActuatorTests {

	TestCertificateAuthority ca;

	TestCertificate alice;

	PemFiles live;

	TestService service;

	@BeforeAll
	void start(TestCertificateAuthority ca) {
		this.ca = ca;
		this.alice = ca.client("alice");
		this.live = ca.writePem("live", ca.getServerCertificate());
		ca.writeCaCertificate();
		this.service = TestService.start(RulesTestApp.class,
				"mtls.identity.certificate=" + this.live.certificateLocation(),
				"mtls.identity.private-key=" + this.live.privateKeyLocation(),
				"mtls.trust.certificates=" + ca.fileLocation("ca.crt"), "mtls.reload.quiet-period=100ms",
				"mtls.authorization.rules[0].paths=/admin/**", "mtls.authorization.rules[0].allow=cn:nobody",
				"management.endpoints.web.exposure.include=health,info,mtls", "mtls.management.roles=cn:alice",
				"management.endpoint.health.show-details=always", "management.info.mtls.enabled=true");
	}

	@AfterAll
	void stop() {
		this.service.close();
	}

	private String get(String path) throws IOException {
		return TlsProbe.get(this.alice.sslBundle().createSslContext(), this.service.port(), path);
	}

	private double count(String name, String... tags) {
		MeterRegistry registry = this.service.context().getBean(MeterRegistry.class);
		var counter = registry.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void mtlsEndpointWhenCalledWithCertificateThenDescribesIdentityTrustRulesAndPeers(CapturedOutput output)
			throws IOException {
		get("/whoami");

		String body = get("/actuator/mtls");

		assertThat(body).startsWith("HTTP/1.1 200")
			.contains("\"subject\":\"CN=localhost\"")
			.contains("\"subjectAlternativeNames\":[\"localhost\",\"127.0.0.1\",\"0:0:0:0:0:0:0:1\"]")
			.contains("\"trustAnchors\":[{\"subject\":\"CN=mtls Test Root CA\"")
			.contains("\"clientAuth\":\"need\"")
			.contains("\"protocols\":[\"TLSv1.3\",\"TLSv1.2\"]")
			.contains("\"name\":\"mtls.authorization.rules[0]\"")
			.contains("\"peers\":[{\"name\":\"alice\"")
			.doesNotContain("PRIVATE KEY")
			.doesNotContain("BEGIN")
			.doesNotContain(keyMaterial());
		assertThat(output).doesNotContain("PRIVATE KEY").doesNotContain(keyMaterial());
	}

	/**
	 * The first line of the service's private key, Base64, as it would leak.
	 */
	private String keyMaterial() {
		return this.ca.getServerCertificate().getPrivateKeyPem().lines().toList().get(1);
	}

	@Test
	void healthWhenIdentityValidThenMtlsUpWithChainAndAnchors() throws IOException {
		String body = get("/actuator/health/mtls");

		assertThat(body).startsWith("HTTP/1.1 200")
			.contains("\"status\":\"UP\"")
			.contains("\"identity\":[{\"subject\":\"CN=localhost\"")
			.contains("\"daysLeft\":");
	}

	@Test
	void healthWhenWithinExpiryWarningThenUpWithExpiringCertificates() throws IOException {
		try (TestCertificateAuthority ca = TestCertificateAuthority.create();
				TestService service = TestService.start(ca.writeServiceProperties("mtls.health.expiry-warning=400d",
						"management.endpoint.health.show-details=always"))) {
			String body = TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), service.port(),
					"/actuator/health/mtls");

			assertThat(body).startsWith("HTTP/1.1 200")
				.contains("\"status\":\"UP\"")
				.contains("\"expiringCertificates\":[{\"subject\":\"CN=localhost\"");
		}
	}

	@Test
	void managementPortWhenSetThenTlsWithoutClientCertificateAndProbesServed() throws Exception {
		try (TestCertificateAuthority ca = TestCertificateAuthority.create();
				TestService service = TestService.start(ca.writeServiceProperties("management.server.port=0",
						"management.server.address=127.0.0.1", "management.endpoint.health.probes.enabled=true",
						"management.endpoints.web.exposure.include=health,mtls"))) {
			int managementPort = Integer
				.parseInt(service.context().getEnvironment().getProperty("local.management.port"));
			SSLContext noCertificate = ca.trustOnlySslBundle().createSslContext();
			CompletableFuture<String> protocol = new CompletableFuture<>();

			String health = TlsProbe.get(noCertificate, managementPort, "/actuator/health", (socket) -> socket
				.addHandshakeCompletedListener((event) -> protocol.complete(event.getSession().getProtocol())));
			String liveness = TlsProbe.get(noCertificate, managementPort, "/actuator/health/liveness");
			String mtls = TlsProbe.get(noCertificate, managementPort, "/actuator/mtls");

			assertThat(protocol).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("TLSv1.3");
			assertThat(health).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
			assertThat(liveness).startsWith("HTTP/1.1 200");
			assertThat(mtls).startsWith("HTTP/1.1 401");
			assertThatIOException().isThrownBy(() -> TlsProbe.get(noCertificate, service.port(), "/actuator/health"));
		}
	}

	@Test
	void auditWhenRepositoryPresentThenAuthenticationAndAuthorizationFailuresRecorded() throws IOException {
		try (TestCertificateAuthority ca = TestCertificateAuthority.create();
				TestService service = TestService.start(AuditedApp.class,
						ca.writeServiceProperties("mtls.authorization.rules[0].paths=/admin/**",
								"mtls.authorization.rules[0].allow=cn:nobody"))) {
			TestCertificate nameless = ca.client((spec) -> spec.subject("O=Acme"));
			TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), service.port(), "/admin/x");
			TlsProbe.get(nameless.sslBundle().createSslContext(), service.port(), "/whoami");

			var events = service.context().getBean(AuditEventRepository.class).find(null, null, null);
			assertThat(events).anySatisfy((event) -> {
				assertThat(event.getType()).isEqualTo("AUTHORIZATION_FAILURE");
				assertThat(event.getPrincipal()).isEqualTo("alice");
			});
			assertThat(events).anySatisfy((event) -> assertThat(event.getType()).isEqualTo("AUTHENTICATION_FAILURE"));
			// Named by subject and serial, never by the whole certificate's toString().
			assertThat(events).filteredOn((event) -> event.getType().equals("AUTHENTICATION_FAILURE"))
				.allSatisfy((event) -> assertThat(event.getPrincipal()).startsWith("O=Acme (serial ")
					.doesNotContain("Version"));
		}
	}

	@Test
	void infoWhenEnabledThenIdentitySummary() throws IOException {
		assertThat(get("/actuator/info")).contains("\"mtls\":{\"subject\":\"CN=localhost\"");
	}

	@Test
	void metricsWhenGoodAndBadCallsThenCountersMove() throws IOException {
		double successes = count("mtls.authentication", "outcome", "success");
		double refused = count("mtls.authentication", "outcome", "failure", "reason", "policy");
		double denied = count("mtls.authorization", "decision", "denied", "rule", "mtls.authorization.rules[0]");

		get("/whoami");
		get("/admin/x");
		SSLContext weak = this.ca.client((spec) -> spec.commonName("weak").rsa(1024)).sslBundle().createSslContext();
		assertThatIOException().isThrownBy(() -> TlsProbe.get(weak, this.service.port(), "/whoami"));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(count("mtls.authentication", "outcome", "failure", "reason", "policy"))
				.isEqualTo(refused + 1));
		assertThat(count("mtls.authentication", "outcome", "success")).isGreaterThanOrEqualTo(successes + 2);
		assertThat(count("mtls.authorization", "decision", "denied", "rule", "mtls.authorization.rules[0]"))
			.isEqualTo(denied + 1);
		MeterRegistry registry = this.service.context().getBean(MeterRegistry.class);
		assertThat(registry.get("mtls.certificate.expiry")
			.tags("role", "identity", "subject", "CN=localhost")
			.gauge()
			.value()).isGreaterThan(Duration.ofDays(300).toSeconds());
	}

	@Test
	void healthWhenReloadFailsThenDownAndReloadCounted() throws Exception {
		MtlsTlsMaterial material = this.service.context().getBean(MtlsTlsMaterial.class);
		double failures = count("mtls.reload", "outcome", "failure");
		Files.writeString(this.live.certificate(), "garbage");
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> material.getReloadFailureCount() > 0);

			assertThat(get("/actuator/health/mtls")).startsWith("HTTP/1.1 503")
				.contains("\"status\":\"DOWN\"")
				.contains("the last reload failed");
			assertThat(count("mtls.reload", "outcome", "failure")).isGreaterThan(failures);
		}
		finally {
			this.ca.writePem("live", this.ca.getServerCertificate());
			await().atMost(Duration.ofSeconds(10)).until(() -> material.getLastReloadFailure() == null);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RulesTestApp.class)
	static class AuditedApp {

		@Bean
		InMemoryAuditEventRepository auditEventRepository() {
			return new InMemoryAuditEventRepository();
		}

	}

}
