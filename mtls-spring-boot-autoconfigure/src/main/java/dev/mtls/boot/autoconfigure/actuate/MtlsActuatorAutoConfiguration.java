package dev.mtls.boot.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.actuate.MtlsEndpoint;
import dev.mtls.boot.actuate.MtlsHealthIndicator;
import dev.mtls.boot.actuate.MtlsInfoContributor;
import dev.mtls.boot.actuate.MtlsMetrics;
import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.autoconfigure.security.IdentityPatternProperties;
import dev.mtls.boot.autoconfigure.security.MtlsAuthorizationProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.SeenPeers;
import dev.mtls.boot.spiffe.SpiffeWorkloadApiHealthIndicator;
import dev.mtls.boot.spiffe.SpiffeWorkloadApiSource;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the actuator side of mTLS: the {@code mtls} endpoint with the
 * peers seen recently, the {@code mtls} health component, the info contribution and the
 * Micrometer meters.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MtlsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(MtlsTlsMaterial.class)
public final class MtlsActuatorAutoConfiguration {

	private static final int MAX_SEEN_PEERS = 1000;

	@Bean
	@ConditionalOnMissingBean
	SeenPeers seenPeers() {
		return new SeenPeers(MAX_SEEN_PEERS);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	MtlsEndpoint mtlsEndpoint(MtlsTlsMaterial material, MtlsProperties properties, SslBundles sslBundles,
			ObjectProvider<SeenPeers> peers) {
		MtlsManagementProperties management = properties.getManagement();
		List<IdentityPattern> roles = new ArrayList<>();
		for (int i = 0; i < management.getRoles().size(); i++) {
			roles.add(IdentityPatternProperties.parse("mtls.management.roles[%d]".formatted(i),
					management.getRoles().get(i)));
		}
		return new MtlsEndpoint(material, sslBundles, endpointSettings(properties), peers.getIfAvailable(),
				Show.valueOf(management.getShowDetails().name()), roles);
	}

	private static MtlsEndpoint.Settings endpointSettings(MtlsProperties properties) {
		MtlsAuthorizationProperties authorization = properties.getAuthorization();
		List<MtlsEndpoint.Rule> rules = new ArrayList<>();
		for (MtlsAuthorizationProperties.Rule rule : authorization.getRules()) {
			rules.add(new MtlsEndpoint.Rule(List.copyOf(rule.getPaths()), List.copyOf(rule.getMethods()),
					List.copyOf(rule.getAllow()), rule.isPermitAll()));
		}
		return new MtlsEndpoint.Settings(properties.getServer().getClientAuth(),
				properties.getManagement().getClientAuth(), authorization.getDefault().name(), List.copyOf(rules));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnEnabledInfoContributor("mtls")
	@ConditionalOnClass(InfoContributor.class)
	MtlsInfoContributor mtlsInfoContributor(MtlsTlsMaterial material) {
		return new MtlsInfoContributor(material);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mtlsHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("mtls")
		MtlsHealthIndicator mtlsHealthIndicator(MtlsTlsMaterial material, MtlsProperties properties) {
			MtlsHealthProperties health = properties.getHealth();
			return new MtlsHealthIndicator(material, health.getExpiryWarning(), status(health.getExpiringStatus()));
		}

		private static Status status(String code) {
			if (!StringUtils.hasText(code)) {
				throw new MtlsConfigurationException("mtls.health.expiring-status", code, "a status must not be blank",
						"Set mtls.health.expiring-status to UP, OUT_OF_SERVICE, DOWN, or a status of your own that "
								+ "management.endpoint.health.status.order lists.");
			}
			return new Status(code.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}

	}

	// The link to the SPIFFE Workload API, where the starter opened it.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = HealthIndicator.class, name = "io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc")
	@ConditionalOnBean(type = "dev.mtls.boot.spiffe.SpiffeWorkloadApiSource")
	static class SpiffeHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "spiffeHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("spiffe")
		SpiffeWorkloadApiHealthIndicator spiffeHealthIndicator(SpiffeWorkloadApiSource source) {
			return new SpiffeWorkloadApiHealthIndicator(source);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MtlsMetrics mtlsMetrics(MtlsTlsMaterial material) {
			return new MtlsMetrics(material);
		}

	}

}
