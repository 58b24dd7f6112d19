package dev.mtls.boot.tomcat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import dev.mtls.boot.tls.RefusedRenegotiations;

/**
 * The server's engine, with the renegotiations it refuses counted: Tomcat ends a
 * connection whose engine throws without telling anyone why, so the throw is seen here,
 * on its way to Tomcat. The JDK's engine refuses in a delegated task and throws on the
 * next wrap or unwrap, whichever comes first. Everything else is the engine's own.
 */
final class RenegotiationCountingEngine extends SSLEngine {

	private final SSLEngine engine;

	private final RefusedRenegotiations refusedRenegotiations;

	// Tomcat calls an engine from one thread at a time, and from different ones over a
	// connection's life.
	private volatile boolean handshakeCompleted;

	RenegotiationCountingEngine(SSLEngine engine, RefusedRenegotiations refusedRenegotiations) {
		this.engine = engine;
		this.refusedRenegotiations = refusedRenegotiations;
	}

	@Override
	public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
		try {
			return completed(this.engine.unwrap(src, dsts, offset, length));
		}
		catch (SSLException ex) {
			recordIfRenegotiation(ex);
			throw ex;
		}
	}

	@Override
	public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
		try {
			return completed(this.engine.wrap(srcs, offset, length, dst));
		}
		catch (SSLException ex) {
			recordIfRenegotiation(ex);
			throw ex;
		}
	}

	// An engine reports FINISHED once per handshake, in the result of the wrap or unwrap
	// that completed it.
	private SSLEngineResult completed(SSLEngineResult result) {
		if (!this.handshakeCompleted && result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
			this.handshakeCompleted = true;
		}
		return result;
	}

	private void recordIfRenegotiation(SSLException ex) {
		if (this.handshakeCompleted) {
			this.refusedRenegotiations.record(this.engine, ex);
		}
	}

	@Override
	public String getPeerHost() {
		return this.engine.getPeerHost();
	}

	@Override
	public int getPeerPort() {
		return this.engine.getPeerPort();
	}

	@Override
	public Runnable getDelegatedTask() {
		return this.engine.getDelegatedTask();
	}

	@Override
	public void closeInbound() throws SSLException {
		this.engine.closeInbound();
	}

	@Override
	public boolean isInboundDone() {
		return this.engine.isInboundDone();
	}

	@Override
	public void closeOutbound() {
		this.engine.closeOutbound();
	}

	@Override
	public boolean isOutboundDone() {
		return this.engine.isOutboundDone();
	}

	@Override
	public String[] getSupportedCipherSuites() {
		return this.engine.getSupportedCipherSuites();
	}

	@Override
	public String[] getEnabledCipherSuites() {
		return this.engine.getEnabledCipherSuites();
	}

	@Override
	public void setEnabledCipherSuites(String[] suites) {
		this.engine.setEnabledCipherSuites(suites);
	}

	@Override
	public String[] getSupportedProtocols() {
		return this.engine.getSupportedProtocols();
	}

	@Override
	public String[] getEnabledProtocols() {
		return this.engine.getEnabledProtocols();
	}

	@Override
	public void setEnabledProtocols(String[] protocols) {
		this.engine.setEnabledProtocols(protocols);
	}

	@Override
	public SSLSession getSession() {
		return this.engine.getSession();
	}

	@Override
	public SSLSession getHandshakeSession() {
		return this.engine.getHandshakeSession();
	}

	@Override
	public void beginHandshake() throws SSLException {
		this.engine.beginHandshake();
	}

	@Override
	public HandshakeStatus getHandshakeStatus() {
		return this.engine.getHandshakeStatus();
	}

	@Override
	public void setUseClientMode(boolean mode) {
		this.engine.setUseClientMode(mode);
	}

	@Override
	public boolean getUseClientMode() {
		return this.engine.getUseClientMode();
	}

	@Override
	public void setNeedClientAuth(boolean need) {
		this.engine.setNeedClientAuth(need);
	}

	@Override
	public boolean getNeedClientAuth() {
		return this.engine.getNeedClientAuth();
	}

	@Override
	public void setWantClientAuth(boolean want) {
		this.engine.setWantClientAuth(want);
	}

	@Override
	public boolean getWantClientAuth() {
		return this.engine.getWantClientAuth();
	}

	@Override
	public void setEnableSessionCreation(boolean flag) {
		this.engine.setEnableSessionCreation(flag);
	}

	@Override
	public boolean getEnableSessionCreation() {
		return this.engine.getEnableSessionCreation();
	}

	@Override
	public SSLParameters getSSLParameters() {
		return this.engine.getSSLParameters();
	}

	@Override
	public void setSSLParameters(SSLParameters params) {
		this.engine.setSSLParameters(params);
	}

	@Override
	public String getApplicationProtocol() {
		return this.engine.getApplicationProtocol();
	}

	@Override
	public String getHandshakeApplicationProtocol() {
		return this.engine.getHandshakeApplicationProtocol();
	}

	@Override
	public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
		this.engine.setHandshakeApplicationProtocolSelector(selector);
	}

	@Override
	public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
		return this.engine.getHandshakeApplicationProtocolSelector();
	}

	@Override
	public String toString() {
		return this.engine.toString();
	}

}
