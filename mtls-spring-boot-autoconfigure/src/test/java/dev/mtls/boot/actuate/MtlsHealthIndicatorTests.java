package dev.mtls.boot.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.actuate.MtlsActuatorAutoConfiguration;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsHealthIndicator}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsHealthIndicatorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class,
				MtlsActuatorAutoConfiguration.class))
		.withPropertyValues("mtls.reload.enabled=false");

	TestCertificateAuthority ca;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
	}

	@Test
	void healthWhenIdentityValidThenUpWithoutExpiringCertificates() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties()).run((context) -> {
			Health health = context.getBean(MtlsHealthIndicator.class).health(true);

			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKeys("identity", "trustAnchors");
			assertThat(health.getDetails().get("expiringCertificates")).asInstanceOf(InstanceOfAssertFactories.LIST)
				.isEmpty();
		});
	}

	@Test
	void healthWhenIdentityExpiresWithinExpiryWarningThenUpAndCountedUpByBootsDefaultAggregator() {
		this.contextRunner
			.withPropertyValues(serviceProperties(expiringIn(Duration.ofDays(3)), "mtls.health.expiry-warning=14d"))
			.run((context) -> {
				Health health = context.getBean(MtlsHealthIndicator.class).health(true);

				// Boot's default order knows DOWN, OUT_OF_SERVICE, UP and UNKNOWN only.
				assertThat(new SimpleStatusAggregator().getAggregateStatus(Set.of(health.getStatus())))
					.isEqualTo(Status.UP);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(expiringSubjects(health)).containsExactly("CN=expiring");
			});
	}

	@Test
	void healthWhenExpiringStatusSetThenExpiryReportsThatStatus() {
		this.contextRunner
			.withPropertyValues(
					serviceProperties(expiringIn(Duration.ofDays(3)), "mtls.health.expiring-status=out-of-service"))
			.run((context) -> {
				Health health = context.getBean(MtlsHealthIndicator.class).health(true);

				assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(new SimpleStatusAggregator().getAggregateStatus(Set.of(health.getStatus(), Status.UP)))
					.isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(expiringSubjects(health)).containsExactly("CN=expiring");
			});
	}

	@Test
	void healthWhenExpiringStatusSetAndNothingExpiresThenUp() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.health.expiring-status=warning"))
			.run((context) -> assertThat(context.getBean(MtlsHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.UP));
	}

	@Test
	void healthWhenExpiringStatusBlankThenStartupFailsNamingProperty() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.health.expiring-status= "))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("mtls.health.expiring-status"));
	}

	@Test
	void healthWhenIdentityExpiredThenDown() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties()).run((context) -> {
			Clock afterExpiry = Clock.fixed(
					this.ca.getServerCertificate().getCertificate().getNotAfter().toInstant().plusSeconds(1),
					ZoneOffset.UTC);
			MtlsHealthIndicator indicator = new MtlsHealthIndicator(context.getBean(MtlsTlsMaterial.class),
					Duration.ofDays(14), Status.UP, afterExpiry);

			Health health = indicator.health(true);

			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("reason")).isEqualTo("the identity certificate is not valid now");
		});
	}

	@Test
	void healthWhenIdentityNotYetValidThenDown() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties()).run((context) -> {
			Clock beforeValidity = Clock.fixed(
					this.ca.getServerCertificate().getCertificate().getNotBefore().toInstant().minusSeconds(1),
					ZoneOffset.UTC);
			MtlsHealthIndicator indicator = new MtlsHealthIndicator(context.getBean(MtlsTlsMaterial.class),
					Duration.ofDays(14), Status.UP, beforeValidity);

			assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void healthWhenReloadFailsThenDownAndAfterGoodReloadUpAgain() throws Exception {
		String[] properties = this.ca.writeServiceProperties();
		Path certificate = this.ca.getDirectory().resolve("server.crt");
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			MtlsTlsMaterial material = context.getBean(MtlsTlsMaterial.class);
			MtlsHealthIndicator indicator = context.getBean(MtlsHealthIndicator.class);

			Files.writeString(certificate, "garbage");
			material.reload();
			Health failed = indicator.health(true);
			this.ca.writePem("server", this.ca.getServerCertificate());
			material.reload();
			Health recovered = indicator.health(true);

			assertThat(failed.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) failed.getDetails().get("reason")).startsWith("the last reload failed");
			assertThat(recovered.getStatus()).isEqualTo(Status.UP);
			assertThat(recovered.getDetails()).doesNotContainKey("reason");
		});
	}

	@Test
	void healthWhenShortLivedIdentityBeforeItsLastQuarterThenNotExpiring() {
		// As SPIRE's one-hour SVIDs: always within 14 days of their end.
		TestCertificate svid = oneHour(Duration.ofMinutes(50));
		this.contextRunner.withPropertyValues(serviceProperties(svid, "mtls.health.expiring-status=out-of-service"))
			.run((context) -> {
				Health health = context.getBean(MtlsHealthIndicator.class).health(true);

				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(expiringSubjects(health)).isEmpty();
			});
	}

	@Test
	void healthWhenExpiryWarningSetThenUsedAsSetForShortLivedCertificates() {
		TestCertificate svid = oneHour(Duration.ofMinutes(50));
		this.contextRunner.withPropertyValues(serviceProperties(svid, "mtls.health.expiry-warning=1h"))
			.run((context) -> assertThat(expiringSubjects(context.getBean(MtlsHealthIndicator.class).health(true)))
				.containsExactly("CN=svid"));
	}

	@Test
	void healthWhenShortLivedIdentityInItsLastQuarterThenExpiring() {
		TestCertificate svid = oneHour(Duration.ofMinutes(10));
		this.contextRunner.withPropertyValues(serviceProperties(svid, "mtls.health.expiring-status=out-of-service"))
			.run((context) -> {
				Health health = context.getBean(MtlsHealthIndicator.class).health(true);

				assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(expiringSubjects(health)).containsExactly("CN=svid");
			});
	}

	@Test
	void healthWhenIssuingCaOfIdentityChainExpiredThenDown() {
		Instant now = Instant.now();
		CertificateAuthority expiredIssuer = this.ca.getRootAuthority()
			.certificate("Expired Issuing CA")
			.ca()
			.validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
			.issue()
			.asCertificateAuthority();
		TestCertificate identity = this.ca.adopt(expiredIssuer.certificate("svc")
			.dnsNames("localhost")
			.serverAuth()
			.clientAuth()
			.validity(now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(300)))
			.issue());
		this.contextRunner.withPropertyValues(serviceProperties(identity)).run((context) -> {
			Health health = context.getBean(MtlsHealthIndicator.class).health(true);

			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason"))
				.isEqualTo("a CA certificate of the identity chain is not valid now, so peers refuse the chain: "
						+ "CN=Expired Issuing CA");
		});
	}

	@Test
	void healthWhenExpiredCertificateSentAfterTheAnchorsIssuedCaThenUp() throws Exception {
		// As a cross-certificate from an old root, sent after the issuing CA: a peer's
		// path ends at the issuing CA, whose issuer it trusts.
		Instant now = Instant.now();
		IssuedCertificate stale = CertificateAuthority.create("Old Root")
			.certificate("Stale Cross")
			.ca()
			.validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
			.issue();
		String[] properties = this.ca.writeServiceProperties();
		Path certificate = this.ca.getDirectory().resolve("server.crt");
		Files.writeString(certificate, Files.readString(certificate) + stale.certificatePem());
		this.contextRunner.withPropertyValues(properties)
			.run((context) -> assertThat(context.getBean(MtlsHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.UP));
	}

	// As SPIRE's SVIDs: valid for an hour.
	private TestCertificate oneHour(Duration left) {
		Instant notAfter = Instant.now().plus(left);
		return this.ca.client((spec) -> spec.commonName("svid")
			.dnsName("localhost")
			.serverAuthUsage()
			.validity(notAfter.minus(Duration.ofHours(1)), notAfter));
	}

	private TestCertificate expiringIn(Duration left) {
		return this.ca.client((spec) -> spec.commonName("expiring")
			.dnsName("localhost")
			.serverAuthUsage()
			.validity(Instant.now().minus(Duration.ofDays(60)), Instant.now().plus(left)));
	}

	/**
	 * The service properties with another certificate as the identity, written over the
	 * test CA's server certificate.
	 */
	private String[] serviceProperties(TestCertificate identity, String... more) {
		String[] properties = this.ca.writeServiceProperties(more);
		this.ca.writePem("server", identity);
		return properties;
	}

	@SuppressWarnings("unchecked")
	private static List<String> expiringSubjects(Health health) {
		List<Map<String, Object>> expiring = (List<Map<String, Object>>) health.getDetails()
			.get("expiringCertificates");
		return expiring.stream().map((certificate) -> (String) certificate.get("subject")).toList();
	}

}
