package dev.mtls.boot.monitor;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.mtls.boot.identity.CertificateFingerprint;
import org.apache.commons.logging.Log;

/**
 * Logs a message at WARN the first time its key is seen and at DEBUG after that, so that
 * a peer retrying in a loop cannot flood the log. Remembers a bounded number of keys.
 * <p>
 * New keys are bounded too: a peer can make a new key for every connection (a freshly
 * minted certificate costs it nothing, and a trust manager refuses it before its key is
 * used). At most {@value #WARNINGS_PER_MINUTE} messages a minute are logged at WARN; the
 * rest of that minute's at DEBUG, said once when the bound is reached and counted at the
 * first WARN of a later minute.
 *
 * @since 0.1.0
 */
public final class OnceLog {

	static final int WARNINGS_PER_MINUTE = 10;

	private static final long MINUTE = Duration.ofMinutes(1).toNanos();

	private final Log logger;

	private final int capacity;

	private final LongSupplier nanoTime;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final Object windowLock = new Object();

	private long windowStart;

	private int warned;

	private int suppressed;

	/**
	 * Create a log.
	 * @param logger where to log
	 * @param capacity how many keys to remember before forgetting them all
	 */
	public OnceLog(Log logger, int capacity) {
		this(logger, capacity, System::nanoTime);
	}

	OnceLog(Log logger, int capacity, LongSupplier nanoTime) {
		this.logger = logger;
		this.capacity = capacity;
		this.nanoTime = nanoTime;
		this.windowStart = nanoTime.getAsLong();
	}

	/**
	 * Log a message about a certificate, at WARN the first time for this certificate and
	 * reason: not keyed by the message, which may name the time of a check and so differ
	 * on every retry.
	 * @param certificate the certificate the message is about
	 * @param reason why it is logged, such as a refusal reason
	 * @param message the message, built only when it is logged
	 */
	public void warn(X509Certificate certificate, Object reason, Supplier<String> message) {
		warn(CertificateFingerprint.sha256(certificate) + " " + reason, message);
	}

	/**
	 * Log a message, at WARN if its key is new and fewer than
	 * {@value #WARNINGS_PER_MINUTE} were logged at WARN in the last minute.
	 * @param key what makes two messages the same, such as a certificate and a reason
	 * @param message the message, built only when it is logged
	 */
	public void warn(String key, Supplier<String> message) {
		boolean first = this.seen.add(key);
		if (this.seen.size() > this.capacity) {
			this.seen.clear();
		}
		if (first) {
			Admission admission = admit();
			if (admission.suppressedBefore() > 0) {
				this.logger.warn(("%d more such messages were logged at DEBUG only (at most %d a minute are logged "
						+ "at WARN)")
					.formatted(admission.suppressedBefore(), WARNINGS_PER_MINUTE));
			}
			if (admission.admitted()) {
				this.logger.warn(message.get());
				if (admission.last()) {
					this.logger.warn(("%d such messages in a minute: further ones are logged at DEBUG only until "
							+ "the minute is over")
						.formatted(WARNINGS_PER_MINUTE));
				}
				return;
			}
			// Not yet said at WARN: a later message of the key may be, in a later minute.
			this.seen.remove(key);
		}
		if (this.logger.isDebugEnabled()) {
			this.logger.debug(message.get());
		}
	}

	private Admission admit() {
		synchronized (this.windowLock) {
			long now = this.nanoTime.getAsLong();
			int suppressedBefore = 0;
			if (now - this.windowStart >= MINUTE) {
				suppressedBefore = this.suppressed;
				this.windowStart = now;
				this.warned = 0;
				this.suppressed = 0;
			}
			if (this.warned < WARNINGS_PER_MINUTE) {
				this.warned++;
				return new Admission(suppressedBefore, true, this.warned == WARNINGS_PER_MINUTE);
			}
			this.suppressed++;
			return new Admission(suppressedBefore, false, false);
		}
	}

	/**
	 * Whether a new key's message may be logged at WARN in this minute.
	 *
	 * @param suppressedBefore how many were not, in the minute before this one, if it is
	 * the first of its minute
	 * @param admitted whether it may
	 * @param last whether it is the last that may in this minute
	 */
	private record Admission(int suppressedBefore, boolean admitted, boolean last) {
	}

}
