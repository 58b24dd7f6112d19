package dev.mtls.boot.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mtls.boot.identity.CertificateIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs an authorization denial once per certificate and rule at WARN (repeats at DEBUG),
 * so a misbehaving client cannot flood the log.
 */
final class DenialLog {

	private static final Log logger = LogFactory.getLog(DenialLog.class);

	private static final int MAX_REMEMBERED = 10_000;

	private final Map<String, Boolean> logged = new ConcurrentHashMap<>();

	void denied(CertificateIdentity identity, String method, String path, IdentityAuthorizationDecision decision) {
		String key = identity.getSha256Fingerprint() + " " + decision.getRule();
		boolean first = this.logged.putIfAbsent(key, Boolean.TRUE) == null;
		if (this.logged.size() > MAX_REMEMBERED) {
			this.logged.clear();
		}
		if (first ? logger.isWarnEnabled() : logger.isDebugEnabled()) {
			String message = "Denied %s %s to '%s' (issuer '%s', serial %s) by %s: %s".formatted(method, path,
					identity.getSubject(), identity.getIssuer(), identity.getSerialNumber().toString(16),
					decision.getRule(), decision.getReason());
			if (first) {
				logger.warn(message);
			}
			else {
				logger.debug(message);
			}
		}
	}

}
