package dev.mtls.boot.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.OnceLog;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A trust manager that validates peers with the current {@link CertificateValidator}
 * (swapped on reload): clients as a server does, servers as a client does, with the host
 * name checked when the connection asks for HTTPS endpoint identification (unless host
 * name verification is off). A refused client is logged once with subject, issuer, serial
 * and reason.
 *
 * @since 0.1.0
 */
class ValidatingTrustManager extends X509ExtendedTrustManager {

	private static final Log logger = LogFactory.getLog(ValidatingTrustManager.class);

	private static final int MAX_REMEMBERED = 10_000;

	private final Supplier<CertificateValidator> validator;

	private final OnceLog refusals = new OnceLog(logger, MAX_REMEMBERED);

	private final MtlsListener listener;

	private final boolean verifyHostNames;

	ValidatingTrustManager(Supplier<CertificateValidator> validator) {
		this(validator, MtlsListener.NONE);
	}

	/**
	 * Create a trust manager that tells a listener about refused clients.
	 * @param validator the current validator
	 * @param listener told of every refused client certificate
	 */
	ValidatingTrustManager(Supplier<CertificateValidator> validator, MtlsListener listener) {
		this(validator, listener, true);
	}

	/**
	 * Create a trust manager that tells a listener about refused clients.
	 * @param validator the current validator
	 * @param listener told of every refused client certificate
	 * @param verifyHostNames whether a server's certificate must match the host name when
	 * the connection asks for HTTPS endpoint identification (its chain is validated
	 * either way)
	 */
	ValidatingTrustManager(Supplier<CertificateValidator> validator, MtlsListener listener, boolean verifyHostNames) {
		this.validator = validator;
		this.listener = listener;
		this.verifyHostNames = verifyHostNames;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new CertificateRejectedException(CertificateRejectedException.Reason.UNTRUSTED,
					"No client certificate");
		}
		try {
			this.validator.get().validateClient(List.of(chain));
		}
		catch (CertificateRejectedException ex) {
			logRefusal(chain[0], ex);
			this.listener.handshakeRefused(chain[0], ex.getReason(), ex.getMessage());
			throw ex;
		}
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkClientTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkClientTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		checkServer(chain, null);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		String host = null;
		if (socket instanceof SSLSocket ssl && verifiesHostName(ssl.getSSLParameters())) {
			SSLSession session = ssl.getHandshakeSession();
			host = requireHost((session != null) ? session.getPeerHost() : null);
		}
		checkServer(chain, host);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkServer(chain, (engine != null && verifiesHostName(engine.getSSLParameters()))
				? requireHost(engine.getPeerHost()) : null);
	}

	// A connection that asks for the host name check and does not say the host (an
	// engine created without one, as Netty does for a Unix domain socket) is refused, as
	// the JDK's own trust manager refuses it; not accepted unchecked.
	private static String requireHost(@Nullable String host) throws CertificateRejectedException {
		if (host == null || host.isEmpty()) {
			throw new CertificateRejectedException(CertificateRejectedException.Reason.NAME_MISMATCH,
					"The connection asks for the server's host name to be checked (HTTPS endpoint identification) "
							+ "and does not say which host it is");
		}
		return host;
	}

	private void checkServer(X509Certificate[] chain, @Nullable String host) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new CertificateRejectedException(CertificateRejectedException.Reason.UNTRUSTED,
					"No server certificate");
		}
		try {
			this.validator.get().validateServer(List.of(chain), host);
		}
		catch (CertificateRejectedException ex) {
			logger.debug("Refused server certificate: " + ex.getMessage());
			throw ex;
		}
	}

	/**
	 * Log a refusal at WARN once per certificate and reason, repeats at DEBUG, so that a
	 * client retrying in a loop cannot flood the log. The key is not the message: a
	 * message may hold the time of the check, which differs on every retry.
	 * @param certificate the refused client certificate
	 * @param ex the refusal
	 */
	private void logRefusal(X509Certificate certificate, CertificateRejectedException ex) {
		String message = "Refused client certificate: " + ex.getMessage();
		this.refusals.warn(certificate, ex.getReason(), () -> message);
	}

	private boolean verifiesHostName(SSLParameters parameters) {
		return this.verifyHostNames && "HTTPS".equalsIgnoreCase(parameters.getEndpointIdentificationAlgorithm());
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return this.validator.get().getTrusted().toArray(X509Certificate[]::new);
	}

}
