package dev.mtls.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.testsupport.TestPki;
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
	 * @param pki the PKI directory, mounted at {@code /pki}
	 * @param port the port to listen on (127.0.0.1)
	 * @param identity the base name of the identity files in the PKI directory
	 * @param arguments further properties, such as authorization rules
	 * @return the container, not started
	 */
	@SuppressWarnings("resource")
	public static GenericContainer<?> create(TestPki pki, int port, String identity, String... arguments) {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(
					"Sample jar " + JAR.toAbsolutePath() + " is missing: build with ./mvnw verify");
		}
		List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
				"/app/sample.jar", "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(containerIdentityArguments(identity));
		command.addAll(List.of(arguments));
		return Containers.create(pki.directory())
			.withFileSystemBind(JAR.toAbsolutePath().toString(), "/app/sample.jar", BindMode.READ_ONLY)
			.withCommand(command.toArray(String[]::new))
			.waitingFor(
					Wait.forLogMessage(".*Started SampleApplication.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
	}

	/**
	 * Properties that give a service the identity {@code name} and trust in the CA, as
	 * seen from inside a container, where the PKI directory is mounted at {@code /pki}.
	 * @param name the base name of the identity files
	 * @return command-line arguments
	 */
	private static List<String> containerIdentityArguments(String name) {
		return List.of("--mtls.dev.enabled=false", "--mtls.identity.certificate=file:/pki/" + name + ".crt",
				"--mtls.identity.private-key=file:/pki/" + name + ".key", "--mtls.trust.certificates=file:/pki/ca.crt");
	}

}
