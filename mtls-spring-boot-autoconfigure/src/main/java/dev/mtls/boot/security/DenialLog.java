package dev.mtls.boot.security;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.OnceLog;
import org.apache.commons.logging.LogFactory;

/**
 * Logs an authorization denial once per certificate and rule at WARN (repeats at DEBUG),
 * so a misbehaving client cannot flood the log.
 */
public final class DenialLog {

	private final OnceLog log = new OnceLog(LogFactory.getLog(DenialLog.class), 10_000);

	public void denied(CertificateIdentity identity, String method, String path,
			IdentityAuthorizationDecision decision) {
		this.log.warn(identity.getSha256Fingerprint() + " " + decision.getRule(),
				() -> "Denied %s %s to '%s' (issuer '%s', serial %s) by %s: %s".formatted(method, path,
						CertificateText.escape(identity.getSubject()), CertificateText.escape(identity.getIssuer()),
						identity.getSerialNumber().toString(16), decision.getRule(), decision.getReason()));
	}

}
