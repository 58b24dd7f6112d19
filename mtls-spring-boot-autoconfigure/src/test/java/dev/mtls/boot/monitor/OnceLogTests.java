package dev.mtls.boot.monitor;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnceLog}.
 */
class OnceLogTests {

	private final List<String> lines = new ArrayList<>();

	private final Log logger = recordingLog(this.lines);

	@Test
	void warnWhenKeyNewThenWarnsOnce() {
		OnceLog log = new OnceLog(this.logger, 10);

		log.warn("alice", () -> "refused alice");

		assertThat(this.lines).containsExactly("WARN refused alice");
	}

	@Test
	void warnWhenKeySeenThenDebugOnly() {
		OnceLog log = new OnceLog(this.logger, 10);
		log.warn("alice", () -> "refused alice");

		log.warn("alice", () -> "refused alice again");

		assertThat(this.lines).containsExactly("WARN refused alice", "DEBUG refused alice again");
	}

	@Test
	void warnWhenOtherKeyThenWarnsForIt() {
		OnceLog log = new OnceLog(this.logger, 10);
		log.warn("alice", () -> "refused alice");

		log.warn("bob", () -> "refused bob");

		assertThat(this.lines).containsExactly("WARN refused alice", "WARN refused bob");
	}

	@Test
	void warnWhenCapacityExceededThenForgetsAllKeys() {
		OnceLog log = new OnceLog(this.logger, 2);
		log.warn("alice", () -> "alice");
		log.warn("bob", () -> "bob");
		log.warn("carol", () -> "carol");
		this.lines.clear();

		log.warn("alice", () -> "alice");

		assertThat(this.lines).containsExactly("WARN alice");
	}

	@Test
	void warnWhenManyNewKeysInAMinuteThenBoundedAndCountedLater() {
		AtomicLong now = new AtomicLong();
		OnceLog log = new OnceLog(this.logger, 10_000, now::get);

		for (int i = 0; i < 200; i++) {
			log.warn("peer-" + i, () -> "refused");
		}

		assertThat(this.lines).filteredOn((line) -> line.startsWith("WARN "))
			.hasSize(OnceLog.WARNINGS_PER_MINUTE + 1)
			.last()
			.asString()
			.contains("further ones are logged at DEBUG only");
		assertThat(this.lines).filteredOn((line) -> line.startsWith("DEBUG "))
			.hasSize(200 - OnceLog.WARNINGS_PER_MINUTE);
		this.lines.clear();

		now.addAndGet(Duration.ofSeconds(61).toNanos());
		log.warn("peer-200", () -> "refused late");

		assertThat(this.lines).containsExactly(
				"WARN 190 more such messages were logged at DEBUG only (at most 10 a minute are logged at WARN)",
				"WARN refused late");
		this.lines.clear();

		// A key that was over the bound is said at WARN once there is room.
		log.warn("peer-150", () -> "refused again");

		assertThat(this.lines).containsExactly("WARN refused again");
	}

	/**
	 * A log at DEBUG that records each line as "LEVEL message".
	 */
	private static Log recordingLog(List<String> lines) {
		return (Log) Proxy.newProxyInstance(OnceLogTests.class.getClassLoader(), new Class<?>[] { Log.class },
				(proxy, method, arguments) -> {
					String name = method.getName();
					if (name.startsWith("is") && name.endsWith("Enabled")) {
						return true;
					}
					if (arguments != null && arguments.length > 0 && method.getReturnType() == void.class) {
						lines.add(name.toUpperCase(Locale.ROOT) + " " + arguments[0]);
						return null;
					}
					return (method.getReturnType() == boolean.class) ? false : null;
				});
	}

}
