package dev.mtls.boot.tomcat;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import dev.mtls.boot.tls.RefusedRenegotiations;
import org.apache.tomcat.util.net.SSLContext;

/**
 * Gives Tomcat a ready {@link javax.net.ssl.SSLContext} built from the mTLS bundle's own
 * key and trust managers, so that the starter's validation, policy and reloading apply to
 * the server as to outbound clients; its engines refuse connections beyond the
 * connector's {@link ConnectionLimit}, and count the renegotiations they refuse.
 */
final class TomcatSslContext implements SSLContext {

	@SuppressWarnings("checkstyle:inlineFullyQualifiedName")
	private final javax.net.ssl.SSLContext context;

	private final X509KeyManager keyManager;

	private final X509TrustManager trustManager;

	private final ConnectionLimit connectionLimit;

	private final RefusedRenegotiations refusedRenegotiations;

	@SuppressWarnings("checkstyle:inlineFullyQualifiedName")
	TomcatSslContext(javax.net.ssl.SSLContext context, X509KeyManager keyManager, X509TrustManager trustManager,
			ConnectionLimit connectionLimit, RefusedRenegotiations refusedRenegotiations) {
		this.context = context;
		this.keyManager = keyManager;
		this.trustManager = trustManager;
		this.connectionLimit = connectionLimit;
		this.refusedRenegotiations = refusedRenegotiations;
	}

	@Override
	public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) throws KeyManagementException {
		// Provided already initialized.
	}

	@Override
	public void destroy() {
	}

	@Override
	public SSLSessionContext getServerSessionContext() {
		return this.context.getServerSessionContext();
	}

	@Override
	public SSLEngine createSSLEngine() {
		SSLEngine engine = this.context.createSSLEngine();
		if (this.connectionLimit.exceeded()) {
			// Tomcat ends the handshake of a closed engine as it begins (see
			// ConnectionLimit).
			engine.closeOutbound();
		}
		return new RenegotiationCountingEngine(engine, this.refusedRenegotiations);
	}

	@Override
	public SSLServerSocketFactory getServerSocketFactory() {
		return this.context.getServerSocketFactory();
	}

	@Override
	public SSLParameters getSupportedSSLParameters() {
		return this.context.getSupportedSSLParameters();
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		X509Certificate[] chain = this.keyManager.getCertificateChain(alias);
		if (chain == null) {
			String[] aliases = this.keyManager.getServerAliases("EC", null);
			aliases = (aliases != null) ? aliases : this.keyManager.getServerAliases("RSA", null);
			chain = (aliases != null && aliases.length > 0) ? this.keyManager.getCertificateChain(aliases[0]) : null;
		}
		return (chain != null) ? chain : new X509Certificate[0];
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return this.trustManager.getAcceptedIssuers();
	}

}
