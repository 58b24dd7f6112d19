package dev.mtls.boot.servers;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client threads making requests in a loop until closed, counting requests and failures
 * and keeping the first failure for the report.
 */
final class Load implements AutoCloseable {

	private final ExecutorService clients;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

	private Load(int clients, Callable<?> request) {
		this.clients = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			this.clients.submit(() -> {
				while (this.running.get()) {
					try {
						request.call();
						this.requests.incrementAndGet();
					}
					catch (Throwable ex) {
						this.failures.incrementAndGet();
						this.firstFailure.compareAndSet(null, ex);
					}
				}
			});
		}
	}

	/**
	 * Start the clients.
	 * @param clients how many threads
	 * @param request one request, which throws (an exception or an assertion error) when
	 * it fails
	 * @return the running load
	 */
	static Load start(int clients, Callable<?> request) {
		return new Load(clients, request);
	}

	/**
	 * Wait until the clients have made the given number of further requests, succeeded or
	 * failed: before a change, so that it happens under load, and after it, so that the
	 * load goes on with the new material.
	 * @param count how many requests
	 */
	void awaitMoreRequests(int count) {
		int target = made() + count;
		await().atMost(Duration.ofSeconds(30)).until(() -> made() >= target);
	}

	/**
	 * Stop the clients, then assert that none of their requests failed.
	 * @throws InterruptedException if interrupted waiting for the clients
	 */
	void stopAndAssertNoFailures() throws InterruptedException {
		close();
		assertThat(this.failures.get())
			.as(() -> "failed requests of %d, the first: %s".formatted(made(), this.firstFailure.get()))
			.isZero();
	}

	private int made() {
		return this.requests.get() + this.failures.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.clients.shutdown();
		// Each request has a read timeout of 10 seconds.
		assertThat(this.clients.awaitTermination(20, TimeUnit.SECONDS)).as("clients stopped").isTrue();
	}

}
