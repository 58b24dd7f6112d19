package dev.mtls.boot.tomcat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import dev.mtls.boot.identity.CertificateText;
import org.jspecify.annotations.Nullable;

/**
 * Bounds what unauthenticated peers can make Tomcat's network layer log. Bytes sent
 * before or instead of a TLS handshake reach code that logs at INFO or ERROR, with a
 * stack trace, once per connection: a TLS record header announcing 64 KB followed by more
 * makes Tomcat log two buffer expansions and a 13-line stack trace for every such
 * connection. Through this filter each distinct cause (logger, message with its numbers
 * left out, exception type) is logged once per {@link #INTERVAL}, on one line: the
 * exception and its causes (type and message) folded into the message, without the stack
 * trace. A logger set to DEBUG ({@code FINE}) logs everything as Tomcat wrote it, stack
 * traces included, for whoever investigates.
 *
 * @since 0.1.0
 */
public final class TomcatNetworkLogGuard implements Filter {

	/**
	 * How long a cause stays quiet after it was logged.
	 */
	public static final Duration INTERVAL = Duration.ofMinutes(1);

	private static final List<String> LOGGERS = List.of("org.apache.tomcat.util.net.NioEndpoint",
			"org.apache.tomcat.util.net.Nio2Endpoint", "org.apache.tomcat.util.net.AbstractEndpoint",
			"org.apache.tomcat.util.net.SecureNioChannel", "org.apache.tomcat.util.net.SecureNio2Channel",
			"org.apache.tomcat.util.net.TLSClientHelloExtractor");

	private static final int MAX_CAUSES = 256;

	private static final String OTHER_CAUSES = "(other causes)";

	private static final Pattern NUMBERS = Pattern.compile("\\d+");

	private static final TomcatNetworkLogGuard INSTANCE = new TomcatNetworkLogGuard(System::nanoTime);

	// java.util.logging holds loggers weakly: a logger nobody references would be
	// collected and created again without the filter. By name, since looking a logger up
	// takes the LogManager's lock.
	private static final Map<String, Logger> guarded = new ConcurrentHashMap<>();

	private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

	private final LongSupplier nanoClock;

	TomcatNetworkLogGuard(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	/**
	 * Put the guard on Tomcat's network loggers, except on one that has a filter of its
	 * own.
	 */
	public static void install() {
		for (String name : LOGGERS) {
			Logger logger = Logger.getLogger(name);
			synchronized (logger) {
				if (logger.getFilter() == null) {
					logger.setFilter(INSTANCE);
					guarded.put(name, logger);
				}
			}
		}
	}

	@Override
	public boolean isLoggable(LogRecord record) {
		String loggerName = record.getLoggerName();
		if (record.getLevel().intValue() < Level.INFO.intValue() || debugging(loggerName)) {
			return true;
		}
		Throwable thrown = record.getThrown();
		String cause = loggerName + " " + NUMBERS.matcher(String.valueOf(record.getMessage())).replaceAll("#") + " "
				+ ((thrown != null) ? thrown.getClass().getName() : "");
		if (!firstInInterval(cause)) {
			return false;
		}
		if (thrown != null) {
			record.setThrown(null);
			record.setMessage(record.getMessage() + ": " + CertificateText.escapeMessage(causes(thrown)));
		}
		record.setMessage(record.getMessage() + " (logged once a minute; DEBUG for every occurrence)");
		return true;
	}

	private static boolean debugging(@Nullable String loggerName) {
		Logger logger = (loggerName != null) ? guarded.get(loggerName) : null;
		return logger != null && logger.isLoggable(Level.FINE);
	}

	// The exception and its causes, type and message, without stack traces.
	private static String causes(Throwable thrown) {
		StringBuilder text = new StringBuilder(thrown.toString());
		Throwable cause = thrown.getCause();
		for (int depth = 0; cause != null && cause != thrown && depth < 5; depth++) {
			text.append("; caused by ").append(cause);
			cause = cause.getCause();
		}
		return text.toString();
	}

	private boolean firstInInterval(String cause) {
		String key = (this.lastLogged.size() < MAX_CAUSES || this.lastLogged.containsKey(cause)) ? cause : OTHER_CAUSES;
		long now = this.nanoClock.getAsLong();
		boolean[] first = new boolean[1];
		this.lastLogged.compute(key, (name, last) -> {
			first[0] = last == null || now - last >= INTERVAL.toNanos();
			return (first[0]) ? now : last;
		});
		return first[0];
	}

}
