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
 * The sample app's packaged jar, as a user ships it, running in a container on 127.0.0.1.
 */
public final class SampleService {

	private static final Path JAR = Path
		.of(System.getProperty("mtls.it.sample-jar", "../sample-app/target/sample-app-0.1.0-SNAPSHOT.jar"));

	private SampleService() {
	}

	/**
	 * Create the container; arguments are Spring Boot command-line properties.
	 * @param ca the test CA, whose directory is mounted at {@code /pki} and holds its
	 * certificate ({@code ca.crt}) and the service's identity
	 * @param port the port to listen on (127.0.0.1)
	 * @param identity the base name of the identity files in the CA's directory
	 * @param arguments further properties, such as authorization rules
	 * @return the container, not started
	 */
	@SuppressWarnings("resource")
	public static GenericContainer<?> create(TestCertificateAuthority ca, int port, String identity,
			String... arguments) {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(
					"Sample jar " + JAR.toAbsolutePath() + " is missing: build with ./mvnw verify");
		}
		List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
				"/app/sample.jar", "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(containerIdentityArguments(identity));
		command.addAll(List.of(arguments));
		return Containers.create(ca.getDirectory())
			.withFileSystemBind(JAR.toAbsolutePath().toString(), "/app/sample.jar", BindMode.READ_ONLY)
			.withCommand(command.toArray(String[]::new))
			.waitingFor(
					Wait.forLogMessage(".*Started SampleApplication.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
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

}
