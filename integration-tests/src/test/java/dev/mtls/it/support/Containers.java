package dev.mtls.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mtls.boot.test.TestCertificateAuthority;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Containers of the locally built test image (JRE 17, nginx, openssl, curl), always on
 * the host network: servers bind 127.0.0.1, so no traffic leaves loopback.
 */
public final class Containers {

	/**
	 * The test image, built by {@code integration-tests/docker/build-image.sh}.
	 */
	public static final String IMAGE = System.getProperty("mtls.it.image", "mtls-it:latest");

	private static final Pattern EXIT = Pattern.compile("(?m)^exit=(\\d+)$");

	private Containers() {
	}

	/**
	 * Create a test CA that writes its files into {@code directory}, the directory that
	 * containers mount at {@code /pki}. The directory is opened to other users
	 * ({@code rwxr-xr-x}), as containers may run as another user than the test JVM: nginx
	 * serves files through unprivileged worker processes. Key files stay readable by
	 * their owner only: the processes that read them (nginx's master, curl, openssl, the
	 * sample service) run as root in the container.
	 * @param directory an existing directory, such as a {@code @TempDir}
	 * @return the CA
	 */
	public static TestCertificateAuthority certificateAuthority(Path directory) {
		if (Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null) {
			try {
				Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return TestCertificateAuthority.create(directory);
	}

	/**
	 * Create a container of the test image on the host network, with the PKI directory
	 * mounted read-only at {@code /pki}.
	 * @param pki the directory holding certificates and keys
	 * @return the container, not started
	 */
	@SuppressWarnings("resource")
	public static GenericContainer<?> create(Path pki) {
		return new GenericContainer<>(DockerImageName.parse(IMAGE)).withImagePullPolicy(new NeverPullPolicy())
			.withNetworkMode("host")
			.withFileSystemBind(pki.toString(), "/pki", BindMode.READ_ONLY);
	}

	/**
	 * Run a shell command once in a fresh container and return its output and exit code.
	 * @param pki the directory mounted at {@code /pki}
	 * @param command a shell command
	 * @return what it printed and how it exited
	 */
	public static Result run(Path pki, String command) {
		try (GenericContainer<?> container = create(pki)
			// The wrapper always exits 0, so the one-shot check passes; the real code is
			// printed.
			.withCommand("sh", "-c", command + "; echo exit=$?")
			.withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
			container.start();
			String output = container.getLogs();
			Matcher exit = EXIT.matcher(output);
			int code = -1;
			while (exit.find()) {
				code = Integer.parseInt(exit.group(1));
			}
			return new Result(code, output);
		}
	}

	/**
	 * Return a free TCP port on 127.0.0.1 below the ephemeral range.
	 * @return the port
	 */
	public static int freePort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return port;
			}
			catch (IOException ex) {
				// In use: try another.
			}
		}
		throw new UncheckedIOException(new IOException("No free port on 127.0.0.1"));
	}

	/**
	 * What a one-shot command printed and its exit code.
	 *
	 * @param exitCode the command's exit code
	 * @param output its standard output and error
	 */
	public record Result(int exitCode, String output) {
	}

}
