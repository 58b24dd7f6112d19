package dev.mtls.boot.autoconfigure.spiffe;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.spiffe.SpiffeWorkloadApiSource;
import dev.mtls.boot.tls.WorkloadMaterialProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of identity and trust from the SPIFFE Workload API
 * ({@code mtls.spiffe.enabled=true}), through java-spiffe: connects to the agent and
 * waits for the first X.509 SVID before the TLS material is built on it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = MtlsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "mtls.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("mtls.spiffe.enabled")
@ConditionalOnClass(name = { "io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc",
		"io.spiffe.workloadapi.internal.GrpcManagedChannelFactory" })
@EnableConfigurationProperties(MtlsProperties.class)
public final class MtlsSpiffeAutoConfiguration {

	static final String SOCKET_VARIABLE = "SPIFFE_ENDPOINT_SOCKET";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(WorkloadMaterialProvider.class)
	SpiffeWorkloadApiSource spiffeWorkloadApiSource(MtlsProperties properties, Environment environment) {
		MtlsSpiffeProperties spiffe = properties.getSpiffe();
		String socket = spiffe.getEndpointSocket();
		if (socket == null || socket.isBlank()) {
			socket = environment.getProperty(SOCKET_VARIABLE);
		}
		if (socket == null || socket.isBlank()) {
			throw new MtlsConfigurationException("mtls.spiffe.endpoint-socket", null,
					"it is not set, and neither is the environment variable " + SOCKET_VARIABLE,
					"Set mtls.spiffe.endpoint-socket (or " + SOCKET_VARIABLE
							+ ") to the Workload API's socket, such as unix:/run/spire/agent-sockets/agent.sock.");
		}
		return SpiffeWorkloadApiSource.connect(socket, spiffe.getSvidHint(), spiffe.getInitialTimeout());
	}

}
