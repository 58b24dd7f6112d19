package dev.mtls.boot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.TlsMaterialSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Polls the material's files, following symbolic links (Kubernetes swaps a {@code ..data}
 * link atomically), and reloads the material once they have stopped changing for the
 * quiet period. Polling, unlike file system events, sees a swapped link target and works
 * on every file system.
 *
 * @since 0.1.0
 */
class MtlsFileWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(MtlsFileWatcher.class);

	private final Runnable reload;

	private final Duration quietPeriod;

	private final List<Path> paths;

	private @Nullable ScheduledExecutorService executor;

	private Map<String, String> snapshot = Map.of();

	private long changedAt = -1;

	/**
	 * Create a watcher of the material's files.
	 * @param material the material to reload
	 * @param resourceLoader the loader that resolves the material's locations
	 * @param quietPeriod how long the files must stay unchanged before a reload
	 */
	MtlsFileWatcher(MtlsTlsMaterial material, ResourceLoader resourceLoader, Duration quietPeriod) {
		this(watchedPaths(material.getSource(), resourceLoader), quietPeriod, material::reload);
	}

	MtlsFileWatcher(List<Path> paths, Duration quietPeriod, Runnable reload) {
		this.paths = List.copyOf(paths);
		this.quietPeriod = quietPeriod;
		this.reload = reload;
	}

	/**
	 * Return the files the material is read from: identity, trust (files and directories)
	 * and CRLs given as {@code file:} locations; inline PEM and class path resources are
	 * not watched.
	 * @param source where the material comes from
	 * @param resourceLoader the loader that resolves the locations
	 * @return the paths
	 */
	static List<Path> watchedPaths(TlsMaterialSource source, ResourceLoader resourceLoader) {
		List<Path> paths = new ArrayList<>();
		for (String location : source.locations()) {
			if (location.contains("-----BEGIN")) {
				continue;
			}
			Resource resource = resourceLoader.getResource(location);
			try {
				if (resource.isFile()) {
					paths.add(resource.getFile().toPath().toAbsolutePath());
				}
			}
			catch (IOException ex) {
				// Not a file: nothing to watch.
			}
		}
		return paths;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null || this.paths.isEmpty()) {
			return;
		}
		this.snapshot = snapshot();
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "mtls-reload");
			thread.setDaemon(true);
			return thread;
		});
		long interval = Math.max(50, Math.min(1000, this.quietPeriod.toMillis() / 2));
		this.executor.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
		logger.debug("Watching " + this.paths + " for changes");
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			// Let a reload under way finish rather than interrupt it into a false
			// failure.
			executor.shutdown();
			try {
				executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private void poll() {
		try {
			Map<String, String> now = snapshot();
			long time = System.nanoTime();
			if (!now.equals(this.snapshot)) {
				this.snapshot = now;
				this.changedAt = time;
			}
			else if (this.changedAt >= 0 && time - this.changedAt >= this.quietPeriod.toNanos()) {
				this.changedAt = -1;
				this.reload.run();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Unable to check mTLS files for changes: " + ex.getMessage());
		}
	}

	/**
	 * What identifies the current content of each file: its real path (after links), size
	 * and modification time; for a directory, those of its certificate files.
	 * @return the state of each watched file, by path
	 */
	private Map<String, String> snapshot() {
		Map<String, String> snapshot = new TreeMap<>();
		for (Path path : this.paths) {
			File file = path.toFile();
			if (file.isDirectory()) {
				File[] children = file.listFiles((dir, name) -> name.endsWith(".pem") || name.endsWith(".crt"));
				snapshot.put(path.toString(), state(path));
				if (children != null) {
					for (File child : children) {
						snapshot.put(child.getPath(), state(child.toPath()));
					}
				}
			}
			else {
				snapshot.put(path.toString(), state(path));
			}
		}
		return snapshot;
	}

	private static String state(Path path) {
		try {
			Path real = path.toRealPath();
			return real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis();
		}
		catch (IOException ex) {
			return "missing";
		}
	}

}
