package dev.mtls.boot.monitor;

import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.mtls.boot.identity.CertificateFingerprint;
import org.apache.commons.logging.Log;

/**
 * Logs a message at WARN the first time its key is seen and at DEBUG after that, so that
 * a peer retrying in a loop cannot flood the log. Remembers a bounded number of keys.
 *
 * @since 0.1.0
 */
public final class OnceLog {

	private final Log logger;

	private final int capacity;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	/**
	 * Create a log.
	 * @param logger where to log
	 * @param capacity how many keys to remember before forgetting them all
	 */
	public OnceLog(Log logger, int capacity) {
		this.logger = logger;
		this.capacity = capacity;
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
	 * Log a message, at WARN if its key is new.
	 * @param key what makes two messages the same, such as a certificate and a reason
	 * @param message the message, built only when it is logged
	 */
	public void warn(String key, Supplier<String> message) {
		boolean first = this.seen.add(key);
		if (this.seen.size() > this.capacity) {
			this.seen.clear();
		}
		if (first) {
			this.logger.warn(message.get());
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug(message.get());
		}
	}

}
