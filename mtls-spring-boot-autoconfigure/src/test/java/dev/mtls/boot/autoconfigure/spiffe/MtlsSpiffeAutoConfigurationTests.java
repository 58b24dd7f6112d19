package dev.mtls.boot.autoconfigure.spiffe;

import java.nio.file.Path;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.spiffe.SpiffeWorkloadApiSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsSpiffeAutoConfiguration}: when it connects, and how start-up fails
 * without an agent, a socket or java-spiffe. Connected behaviour is tested against a
 * Workload API on a real socket in the server tests.
 */
class MtlsSpiffeAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsSpiffeAutoConfiguration.class, MtlsAutoConfiguration.class,
				SslAutoConfiguration.class));

	@Test
	void sourceWhenSpiffeNotEnabledThenAbsent() {
		this.contextRunner.withPropertyValues("mtls.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SpiffeWorkloadApiSource.class));
	}

	@Test
	void startWhenNoSocketConfiguredThenFailureNamesPropertyAndVariable() {
		this.contextRunner.withPropertyValues("mtls.spiffe.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(MtlsConfigurationException.class)
				.hasMessageContaining("mtls.spiffe.endpoint-socket")
				.hasMessageContaining("neither is the environment variable SPIFFE_ENDPOINT_SOCKET");
		});
	}

	@Test
	void startWhenNotUnixSocketThenFailureNamesProperty() {
		this.contextRunner
			.withPropertyValues("mtls.spiffe.enabled=true", "mtls.spiffe.endpoint-socket=tcp://127.0.0.1:1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MtlsConfigurationException.class)
					.hasMessageContaining("mtls.spiffe.endpoint-socket")
					.hasMessageContaining("only 'unix:' sockets are supported");
			});
	}

	@Test
	void startWhenNoAgentThenFailsAfterInitialTimeoutNamingSocketAndLastProblem(@TempDir Path directory) {
		String socket = "unix:" + directory.resolve("agent.sock");
		this.contextRunner
			.withPropertyValues("mtls.spiffe.enabled=true", "SPIFFE_ENDPOINT_SOCKET=" + socket,
					"mtls.spiffe.initial-timeout=1500ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MtlsConfigurationException.class)
					.hasMessageContaining("mtls.spiffe.endpoint-socket")
					.hasMessageContaining(socket)
					.hasMessageContaining("no X.509 SVID came from the SPIFFE Workload API within PT1.5S")
					.hasMessageContaining("the last attempt gave: UNAVAILABLE");
			});
	}

	@Test
	void startWhenJavaSpiffeMissingThenFailureNamesTheDependencies() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.spiffe."))
			.withPropertyValues("mtls.spiffe.enabled=true", "mtls.spiffe.endpoint-socket=unix:/tmp/agent.sock")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MtlsConfigurationException.class)
					.hasMessageContaining("mtls.spiffe.enabled")
					.hasMessageContaining("java-spiffe");
			});
	}

}
