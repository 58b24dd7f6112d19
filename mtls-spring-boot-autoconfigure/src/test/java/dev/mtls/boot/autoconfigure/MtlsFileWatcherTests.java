package dev.mtls.boot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MtlsFileWatcher}.
 */
class MtlsFileWatcherTests {

	private static final Duration QUIET_PERIOD = Duration.ofMillis(600);

	@TempDir
	Path directory;

	private final AtomicInteger reloads = new AtomicInteger();

	private MtlsFileWatcher watcher;

	@AfterEach
	void stop() {
		if (this.watcher != null) {
			this.watcher.stop();
		}
	}

	private void watch(Path... paths) {
		this.watcher = new MtlsFileWatcher(List.of(paths), QUIET_PERIOD, this.reloads::incrementAndGet);
		this.watcher.start();
	}

	@Test
	void watcherWhenNothingChangesThenNoReload() throws Exception {
		Path certificate = Files.writeString(this.directory.resolve("tls.crt"), "one");
		watch(certificate);

		Thread.sleep(QUIET_PERIOD.multipliedBy(2).toMillis());

		assertThat(this.reloads).hasValue(0);
	}

	@Test
	void watcherWhenFileKeepsChangingThenReloadOnceAfterQuietPeriod() throws Exception {
		Path certificate = Files.writeString(this.directory.resolve("tls.crt"), "0");
		watch(certificate);

		// Changes closer together than the quiet period: no reload while they go on.
		long start = System.nanoTime();
		for (int i = 1; i <= 8; i++) {
			Files.writeString(certificate, "x".repeat(i));
			Thread.sleep(QUIET_PERIOD.toMillis() / 3);
		}
		int duringChanges = this.reloads.get();
		long changing = System.nanoTime() - start;

		assertThat(Duration.ofNanos(changing)).isGreaterThan(QUIET_PERIOD);
		assertThat(duringChanges).isZero();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.reloads).hasValue(1));
		Thread.sleep(QUIET_PERIOD.multipliedBy(2).toMillis());
		assertThat(this.reloads).hasValue(1);
	}

	@Test
	void watcherWhenDataLinkSwappedAsKubernetesDoesThenReload() throws Exception {
		Path secret = Files.createDirectories(this.directory.resolve("secret"));
		publish(secret, "v1", "one");
		Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data", "tls.crt"));
		watch(secret.resolve("tls.crt"));

		// Same size and, possibly, the same modification time: only the link target
		// differs.
		publish(secret, "v2", "two");

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.reloads).hasValue(1));
	}

	private static void publish(Path secret, String version, String content) throws Exception {
		Path next = Files.createDirectories(secret.resolve(".." + version));
		Files.writeString(next.resolve("tls.crt"), content);
		Path link = secret.resolve("..data_tmp");
		Files.createSymbolicLink(link, next.getFileName());
		Files.move(link, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void watcherWhenFileDisappearsAndComesBackThenKeepsWatchingAndReloads() throws Exception {
		Path certificate = Files.writeString(this.directory.resolve("tls.crt"), "one");
		watch(certificate);

		Files.delete(certificate);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.reloads).hasValue(1));
		Files.writeString(certificate, "two, longer");

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.reloads).hasValue(2));
		assertThat(this.watcher.isRunning()).isTrue();
	}

	@Test
	void watcherWhenDirectoryGainsCertificateThenReload() throws Exception {
		Path trust = Files.createDirectories(this.directory.resolve("trust"));
		Files.writeString(trust.resolve("a.crt"), "a");
		watch(trust);

		Files.writeString(trust.resolve("b.pem"), "b");

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.reloads).hasValue(1));
	}

	@Test
	void watcherWhenNoPathsThenNotStarted() {
		watch();

		assertThat(this.watcher.isRunning()).isFalse();
	}

}
