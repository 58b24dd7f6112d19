package dev.mtls.boot.security;

import java.math.BigInteger;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.OnceLog;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs an authorization denial once per certificate and rule at WARN (repeats at DEBUG),
 * so a misbehaving client cannot flood the log.
 */
public final class DenialLog {

	private final OnceLog log = new OnceLog(LogFactory.getLog(DenialLog.class), 10_000);

	public void denied(CertificateIdentity identity, String method, String path,
			IdentityAuthorizationDecision decision) {
		denied(identity, method, path, decision, null);
	}

	/**
	 * Log a denial, naming the trusted proxy the certificate was forwarded by.
	 * @param identity the caller
	 * @param method the HTTP method
	 * @param path the path within the application
	 * @param decision the denial
	 * @param proxy the forwarding proxy, or {@code null} for a direct request
	 */
	public void denied(CertificateIdentity identity, String method, String path, IdentityAuthorizationDecision decision,
			@Nullable Object proxy) {
		String via = (proxy != null) ? " via trusted proxy " + CertificateText.escape(proxy.toString()) : "";
		this.log.warn(identity.getSha256Fingerprint() + " " + decision.getRule(),
				() -> "Denied %s %s to '%s' (%s)%s by %s: %s".formatted(CertificateText.escape(method),
						CertificateText.escape(path), CertificateText.escape(identity.getSubject()),
						certificate(identity), via, decision.getRule(), decision.getReason()));
	}

	private static String certificate(CertificateIdentity identity) {
		BigInteger serial = identity.getSerialNumber();
		if (serial == null) {
			return "attested by the proxy, sha256 " + identity.getSha256Fingerprint();
		}
		return "issuer '" + CertificateText.escape(identity.getIssuer()) + "', serial " + serial.toString(16);
	}

}
