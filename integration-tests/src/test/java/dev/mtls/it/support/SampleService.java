package dev.mtls.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.test.TestCertificateAuthority;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A sample app's packaged jar, as a user ships it, running in a container on 127.0.0.1:
 * {@code sample-app} (Spring MVC on Tomcat) or {@code sample-reactive-app} (WebFlux on
 * Reactor Netty), which have the same endpoints.
 */
public final class SampleService {

	private SampleService() {
	}

	/**
	 * Create a container of the servlet sample; arguments are Spring Boot command-line
	 * properties.
	 * @param ca the test CA, whose directory is mounted at {@code /pki} and holds its
	 * certificate ({@code ca.crt}) and the service's identity
	 * @param port the port to listen on (127.0.0.1)
	 * @param identity the base name of the identity files in the CA's directory
	 * @param arguments further properties, such as authorization rules
	 * @return the container, not started
	 */
	public static GenericContainer<?> create(TestCertificateAuthority ca, int port, String identity,
			String... arguments) {
		return create(Stack.SERVLET, ca, port, identity, arguments);
	}

	/**
	 * Create a container of the sample of the given web stack; arguments are Spring Boot
	 * command-line properties.
	 * @param stack which sample
	 * @param ca the test CA, whose directory is mounted at {@code /pki} and holds its
	 * certificate ({@code ca.crt}) and the service's identity
	 * @param port the port to listen on (127.0.0.1)
	 * @param identity the base name of the identity files in the CA's directory
	 * @param arguments further properties, such as authorization rules
	 * @return the container, not started
	 */
	public static GenericContainer<?> create(Stack stack, TestCertificateAuthority ca, int port, String identity,
			String... arguments) {
		return create(stack, ca.getDirectory(), port, containerIdentityArguments(identity), arguments);
	}

	/**
	 * Create a container of the sample of the given web stack that takes its identity and
	 * trust from a SPIFFE Workload API on a Unix socket of the host.
	 * @param stack which sample
	 * @param socket the agent's socket; its directory is mounted at {@code /pki}
	 * @param port the port to listen on (127.0.0.1)
	 * @param arguments further properties, such as authorization rules
	 * @return the container, not started
	 */
	public static GenericContainer<?> createWithSpiffe(Stack stack, Path socket, int port, String... arguments) {
		Path directory = socket.toAbsolutePath().getParent();
		return create(stack, directory, port, List.of("--mtls.dev.enabled=false", "--mtls.spiffe.enabled=true",
				"--mtls.spiffe.endpoint-socket=unix:/pki/" + socket.getFileName()), arguments);
	}

	@SuppressWarnings("resource")
	private static GenericContainer<?> create(Stack stack, Path pki, int port, List<String> identityArguments,
			String... arguments) {
		Path jar = stack.jar();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(
					"Sample jar " + jar.toAbsolutePath() + " is missing: build with ./mvnw verify");
		}
		List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
				"/app/sample.jar", "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(identityArguments);
		command.addAll(List.of(arguments));
		return Containers.create(pki)
			.withFileSystemBind(jar.toAbsolutePath().toString(), "/app/sample.jar", BindMode.READ_ONLY)
			.withCommand(command.toArray(String[]::new))
			.waitingFor(Wait.forLogMessage(".*Started " + stack.mainClass + " .*", 1)
				.withStartupTimeout(Duration.ofSeconds(120)));
	}

	/**
	 * Properties that give a service the identity {@code name} and trust in the CA, as
	 * seen from inside a container, where the CA's directory is mounted at {@code /pki}.
	 * @param name the base name of the identity files
	 * @return command-line arguments
	 */
	private static List<String> containerIdentityArguments(String name) {
		return List.of("--mtls.dev.enabled=false", "--mtls.identity.certificate=file:/pki/" + name + ".crt",
				"--mtls.identity.private-key=file:/pki/" + name + ".key", "--mtls.trust.certificates=file:/pki/ca.crt");
	}

	/**
	 * The web stack of a sample, and where its packaged jar is (a failsafe system
	 * property, with the path of a build from this module's directory as the default).
	 */
	public enum Stack {

		/**
		 * {@code sample-app}: Spring MVC on Tomcat, outbound calls through a
		 * {@code RestClient}.
		 */
		SERVLET("mtls.it.sample-jar", "sample-app", "SampleApplication"),

		/**
		 * {@code sample-reactive-app}: WebFlux on Reactor Netty, outbound calls through a
		 * {@code WebClient}.
		 */
		REACTIVE("mtls.it.sample-reactive-jar", "sample-reactive-app", "ReactiveSampleApplication");

		private final String jarProperty;

		private final String module;

		private final String mainClass;

		Stack(String jarProperty, String module, String mainClass) {
			this.jarProperty = jarProperty;
			this.module = module;
			this.mainClass = mainClass;
		}

		Path jar() {
			return Path.of(System.getProperty(this.jarProperty,
					"../" + this.module + "/target/" + this.module + "-0.1.0-SNAPSHOT.jar"));
		}

	}

}
