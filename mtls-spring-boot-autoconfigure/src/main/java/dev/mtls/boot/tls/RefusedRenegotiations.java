package dev.mtls.boot.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.OnceLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Counts and logs the client-initiated renegotiations the server refused. The engines
 * refuse inside {@link SSLEngine#wrap} or {@link SSLEngine#unwrap}, telling no listener:
 * the JDK's with an {@link SSLHandshakeException} (see {@link ClientRenegotiation}),
 * BoringSSL's with an {@link SSLException} naming {@value #BORINGSSL_REASON}. Each server
 * hands this class what its engine threw on a connection whose first handshake it saw
 * complete (only the server knows that: an engine's session may name a protocol before
 * its handshake completed, and after it failed). Such a failure on a TLS 1.2 connection
 * can only be a refused renegotiation; TLS 1.3 has none, so its connections are never
 * counted. The log names each client certificate once, where the engine still knows it
 * (BoringSSL's may forget it with the refused session).
 *
 * @since 0.1.0
 */
public final class RefusedRenegotiations {

	static final String BORINGSSL_REASON = "NO_RENEGOTIATION";

	// The session of the JDK's engine before a handshake completes.
	private static final String NO_PROTOCOL = "NONE";

	private static final String TLS_1_3 = "TLSv1.3";

	private static final String NO_CERTIFICATE = "unknown certificate";

	private static final int LOGGED_PEERS = 10_000;

	private static final Log logger = LogFactory.getLog(RefusedRenegotiations.class);

	private final OnceLog log = new OnceLog(logger, LOGGED_PEERS);

	private final MtlsListener listener;

	RefusedRenegotiations(MtlsListener listener) {
		this.listener = listener;
	}

	/**
	 * Count and log the failure if it is the refusal of a renegotiation.
	 * @param engine the engine of a connection whose first handshake completed
	 * @param failure what the engine threw, or an exception caused by it
	 * @return whether the failure was the refusal of a renegotiation
	 */
	public boolean record(SSLEngine engine, Throwable failure) {
		if (!isRefusal(engine, failure)) {
			return false;
		}
		record(engine);
		return true;
	}

	/**
	 * Count and log a renegotiation the server refused itself, rather than its engine.
	 * @param engine the engine of a connection whose first handshake completed
	 */
	public void record(SSLEngine engine) {
		X509Certificate leaf = peerCertificate(engine.getSession());
		this.listener.renegotiationRefused(leaf);
		if (leaf != null) {
			this.log.warn(leaf, "renegotiation", () -> "Refused a TLS renegotiation from a client with "
					+ CertificateText.describe(leaf) + "; its connection was closed");
		}
		else {
			this.log.warn(NO_CERTIFICATE, () -> "Refused a TLS renegotiation; its connection was closed (the client's "
					+ "certificate is not known: it presented none, or the engine discarded it with the session)");
		}
	}

	static boolean isRefusal(SSLEngine engine, Throwable failure) {
		if (!canRenegotiate(engine)) {
			return false;
		}
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof SSLHandshakeException) {
				return true;
			}
			if (current instanceof SSLException && current.getMessage() != null
					&& current.getMessage().contains(BORINGSSL_REASON)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return whether the engine's session is of a protocol with renegotiation: TLS 1.2 or
	 * before.
	 * @param engine the engine
	 * @return whether its protocol knows renegotiation
	 */
	public static boolean canRenegotiate(SSLEngine engine) {
		SSLSession session = engine.getSession();
		String protocol = (session != null) ? session.getProtocol() : null;
		return protocol != null && !protocol.equals(NO_PROTOCOL) && !protocol.equals(TLS_1_3);
	}

	private static @Nullable X509Certificate peerCertificate(SSLSession session) {
		try {
			Certificate[] chain = session.getPeerCertificates();
			return (chain.length > 0 && chain[0] instanceof X509Certificate leaf) ? leaf : null;
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

}
