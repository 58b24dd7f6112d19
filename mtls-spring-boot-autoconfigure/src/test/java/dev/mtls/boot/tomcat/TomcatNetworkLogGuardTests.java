package dev.mtls.boot.tomcat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TomcatNetworkLogGuardTests {

	private static final String LOGGER = "org.apache.tomcat.util.net.NioEndpoint";

	private final AtomicLong now = new AtomicLong();

	private final TomcatNetworkLogGuard guard = new TomcatNetworkLogGuard(this.now::get);

	@Test
	void isLoggableWhenSameCauseAgainWithinIntervalThenOnlyFirstLogged() {
		assertThat(this.guard
			.isLoggable(record(Level.SEVERE, "Error running socket processor", new IllegalStateException("a"))))
			.isTrue();
		this.now.addAndGet(TomcatNetworkLogGuard.INTERVAL.toNanos() - 1);

		assertThat(this.guard
			.isLoggable(record(Level.SEVERE, "Error running socket processor", new IllegalStateException("b"))))
			.isFalse();
	}

	@Test
	void isLoggableWhenIntervalPassedThenLoggedAgain() {
		this.guard.isLoggable(record(Level.INFO, "Expanding network input buffer to [33842] bytes", null));
		this.now.addAndGet(TomcatNetworkLogGuard.INTERVAL.toNanos());

		assertThat(this.guard.isLoggable(record(Level.INFO, "Expanding network input buffer to [33842] bytes", null)))
			.isTrue();
	}

	@Test
	void isLoggableWhenMessagesDifferOnlyInNumbersThenOneCause() {
		assertThat(this.guard.isLoggable(record(Level.INFO, "Expanding network input buffer to [33842] bytes", null)))
			.isTrue();

		assertThat(this.guard.isLoggable(record(Level.INFO, "Expanding network input buffer to [65536] bytes", null)))
			.isFalse();
	}

	@Test
	void isLoggableWhenOtherExceptionTypeThenOtherCause() {
		this.guard.isLoggable(record(Level.SEVERE, "Error running socket processor", new IllegalStateException()));

		assertThat(this.guard
			.isLoggable(record(Level.SEVERE, "Error running socket processor", new IllegalArgumentException())))
			.isTrue();
	}

	@Test
	void isLoggableWhenExceptionThenFoldedIntoOneEscapedLine() {
		LogRecord record = record(Level.SEVERE, "Error running socket processor",
				new IllegalStateException("forged\nline"));

		this.guard.isLoggable(record);

		assertThat(record.getThrown()).isNull();
		assertThat(record.getMessage()).startsWith(
				"Error running socket processor: java.lang.IllegalStateException: forged\\nline (logged once a minute")
			.doesNotContain("\n");
	}

	@Test
	void isLoggableWhenExceptionHasCausesThenTheyAreOnTheLine() {
		LogRecord record = record(Level.SEVERE, "Error", new IllegalStateException("outer", new IOException("inner")));

		this.guard.isLoggable(record);

		assertThat(record.getMessage())
			.startsWith("Error: java.lang.IllegalStateException: outer; caused by java.io.IOException: inner (");
	}

	@Test
	void isLoggableWhenBelowInfoThenUntouched() {
		LogRecord record = record(Level.FINE, "detail", new IllegalStateException());

		assertThat(this.guard.isLoggable(record)).isTrue();
		assertThat(this.guard.isLoggable(record)).isTrue();
		assertThat(record.getThrown()).isNotNull();
	}

	@Test
	void isLoggableWhenLoggerAtDebugThenEveryOccurrenceAsWritten() {
		TomcatNetworkLogGuard.install();
		Logger logger = Logger.getLogger(LOGGER);
		Level level = logger.getLevel();
		logger.setLevel(Level.FINE);
		try {
			LogRecord record = record(Level.SEVERE, "Error running socket processor", new IllegalStateException());

			assertThat(this.guard.isLoggable(record)).isTrue();
			assertThat(this.guard.isLoggable(record)).isTrue();
			assertThat(record.getThrown()).isNotNull();
		}
		finally {
			logger.setLevel(level);
		}
	}

	@Test
	void isLoggableWhenManyDistinctCausesThenBoundedAndTheRestShareOne() {
		int logged = 0;
		for (int i = 0; i < 1000; i++) {
			if (this.guard
				.isLoggable(record(Level.INFO, "cause " + (char) ('a' + i % 26) + (char) ('a' + i / 26), null))) {
				logged++;
			}
		}

		assertThat(logged).isEqualTo(257);
	}

	private static LogRecord record(Level level, String message, Throwable thrown) {
		LogRecord record = new LogRecord(level, message);
		record.setLoggerName(LOGGER);
		record.setThrown(thrown);
		return record;
	}

}
