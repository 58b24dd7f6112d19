package dev.mtls.boot.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link MtlsMetrics}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsMetricsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("mtls.reload.enabled=false");

	TestCertificateAuthority ca;

	TestCertificate alice;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
		this.alice = ca.client("alice");
	}

	@Test
	void eventsWhenBoundThenCountedWithDocumentedTags() {
		withMetrics((metrics) -> {
			MeterRegistry registry = bound(metrics);

			metrics.handshakeRefused(this.alice.getCertificate(), Reason.NAME_MISMATCH, "no");
			metrics.authenticationFailed(Reason.NAME_MISMATCH);
			metrics.authenticationFailed(Reason.REVOKED);
			metrics.authenticationFailed(AuthenticationFailure.NO_CERTIFICATE);
			metrics.authenticated(CertificateIdentity.of(this.alice.getChain(), PrincipalName.CN));
			metrics.authorizationDecided("mtls.authorization.rules[0]", true);
			metrics.authorizationDecided("mtls.authorization.rules[0]", false);
			metrics.authorizationDecided("mtls.authorization.rules[0]", false);
			metrics.reloaded(false);
			metrics.renegotiationRefused(this.alice.getCertificate());
			metrics.renegotiationRefused(null);

			assertThat(failures(registry, "name-mismatch")).isEqualTo(2);
			assertThat(failures(registry, "revoked")).isOne();
			assertThat(failures(registry, "no-certificate")).isOne();
			assertThat(count(registry, "mtls.authentication", "outcome", "success", "reason", "success")).isOne();
			assertThat(
					count(registry, "mtls.authorization", "decision", "granted", "rule", "mtls.authorization.rules[0]"))
				.isOne();
			assertThat(
					count(registry, "mtls.authorization", "decision", "denied", "rule", "mtls.authorization.rules[0]"))
				.isEqualTo(2);
			assertThat(count(registry, "mtls.reload", "outcome", "failure")).isOne();
			assertThat(count(registry, "mtls.renegotiation.refused")).isEqualTo(2);
			assertThat(
					registry.get("mtls.certificate.expiry").tags("role", "identity", "subject", "CN=localhost").gauge())
				.isNotNull();
		});
	}

	@Test
	void failuresWhenNotChainRejectionsThenCountedWithTheirTags() {
		withMetrics((metrics) -> {
			MeterRegistry registry = bound(metrics);

			metrics.authenticationFailed(AuthenticationFailure.MISSING_ATTRIBUTE);
			metrics.authenticationFailed(AuthenticationFailure.CA_CERTIFICATE);
			metrics.authenticationFailed(AuthenticationFailure.CA_CERTIFICATE);

			assertThat(failures(registry, "missing-attribute")).isOne();
			assertThat(failures(registry, "ca-certificate")).isEqualTo(2);
		});
	}

	@Test
	void eventsWhenBoundToTwoRegistriesThenCountedInBoth() {
		withMetrics((metrics) -> {
			MeterRegistry first = bound(metrics);
			MeterRegistry second = bound(metrics);

			metrics.authenticationFailed(Reason.REVOKED);
			metrics.authenticationFailed(AuthenticationFailure.NO_CERTIFICATE);
			metrics.authenticated(CertificateIdentity.of(this.alice.getChain(), PrincipalName.CN));
			metrics.authorizationDecided("mtls.authorization.rules[0]", false);
			metrics.reloaded(true);

			for (MeterRegistry registry : new MeterRegistry[] { first, second }) {
				assertThat(failures(registry, "revoked")).isOne();
				assertThat(failures(registry, "no-certificate")).isOne();
				assertThat(count(registry, "mtls.authentication", "outcome", "success", "reason", "success")).isOne();
				assertThat(count(registry, "mtls.authorization", "decision", "denied", "rule",
						"mtls.authorization.rules[0]"))
					.isOne();
				assertThat(count(registry, "mtls.reload", "outcome", "success")).isOne();
				assertThat(registry.get("mtls.certificate.expiry")
					.tags("role", "identity", "subject", "CN=localhost")
					.gauge()).isNotNull();
			}
		});
	}

	@Test
	void eventsWhenBoundTwiceToOneRegistryThenCountedOnce() {
		withMetrics((metrics) -> {
			MeterRegistry registry = bound(metrics);
			metrics.bindTo(registry);

			metrics.authenticationFailed(Reason.REVOKED);

			assertThat(failures(registry, "revoked")).isOne();
		});
	}

	@Test
	void eventsWhenNotBoundThenIgnored() {
		withMetrics((metrics) -> {
			assertThatNoException().isThrownBy(() -> {
				metrics.handshakeRefused(this.alice.getCertificate(), Reason.POLICY, "weak");
				metrics.authenticationFailed(Reason.EXPIRED);
				metrics.authenticationFailed(AuthenticationFailure.CA_CERTIFICATE);
				metrics.authorizationDecided("mtls.authorization.default", true);
				metrics.reloaded(true);
			});
		});
	}

	@Test
	void expiryWhenTwoTrustedCasShareASubjectThenAGaugeEach() throws Exception {
		// A CA renewed under its name, old and new trusted during the rollover.
		Instant now = Instant.now();
		IssuedCertificate old = CertificateAuthority.selfSigned("Twin CA")
			.ca()
			.validity(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(3)))
			.issue();
		IssuedCertificate renewed = CertificateAuthority.selfSigned("Twin CA")
			.ca()
			.validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3000)))
			.issue();
		Path trust = this.ca.getDirectory().resolve("twins.crt");
		Files.writeString(trust, this.ca.getCaCertificatePem() + old.certificatePem() + renewed.certificatePem());
		List<String> properties = new ArrayList<>(List.of(this.ca.writeServiceProperties()));
		properties.removeIf((property) -> property.startsWith("mtls.trust.certificates="));
		properties.add("mtls.trust.certificates=file:" + trust.toAbsolutePath());
		this.contextRunner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			MeterRegistry registry = bound(new MtlsMetrics(context.getBean(MtlsTlsMaterial.class)));

			Collection<Gauge> twins = registry.find("mtls.certificate.expiry")
				.tags("role", "trust", "subject", "CN=Twin CA")
				.gauges();

			assertThat(twins).hasSize(2);
			assertThat(twins.stream().mapToDouble(Gauge::value).min().getAsDouble())
				.isLessThan(Duration.ofDays(4).toSeconds());
		});
	}

	private void withMetrics(Consumer<MtlsMetrics> test) {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> test.accept(new MtlsMetrics(context.getBean(MtlsTlsMaterial.class))));
	}

	private static MeterRegistry bound(MtlsMetrics metrics) {
		MeterRegistry registry = new SimpleMeterRegistry();
		metrics.bindTo(registry);
		return registry;
	}

	private static double failures(MeterRegistry registry, String reason) {
		return count(registry, "mtls.authentication", "outcome", "failure", "reason", reason);
	}

	private static double count(MeterRegistry registry, String name, String... tags) {
		return registry.get(name).tags(tags).counter().count();
	}

}
