package dev.mtls.boot.tomcat;

import java.util.Arrays;

import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.ServerTlsEngine;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;

import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;

/**
 * Hands Tomcat's TLS connector an {@link javax.net.ssl.SSLContext} made from the
 * {@value MtlsTlsMaterial#BUNDLE_NAME} bundle's managers instead of letting it build one
 * from the key stores: Tomcat's own trust managers know nothing of the starter's policy,
 * revocation or reloading. The context comes from the JDK or, with
 * {@code mtls.server.engine=conscrypt}, from a Conscrypt provider used by this connector
 * only. Unless another TLS implementation is set on the connector, it also uses
 * {@link MtlsJsseImplementation}, whose TLS request attributes cost less per request.
 * Connections beyond {@code server.tomcat.max-connections} are refused at once
 * ({@link ConnectionLimit}) rather than left waiting. And it puts
 * {@link TomcatNetworkLogGuard} on Tomcat's network loggers, which garbage from
 * unauthenticated peers could otherwise flood.
 *
 * @since 0.1.0
 */
public class MtlsTomcatConnectorCustomizer implements TomcatConnectorCustomizer {

	private final ServerTlsEngine engine;

	public MtlsTomcatConnectorCustomizer(ServerTlsEngine engine) {
		this.engine = engine;
	}

	@Override
	public void customize(Connector connector) {
		ProtocolHandler handler = connector.getProtocolHandler();
		if (!(handler instanceof AbstractHttp11Protocol<?> protocol) || !protocol.isSSLEnabled()) {
			return;
		}
		TomcatNetworkLogGuard.install();
		SslManagerBundle managers = this.engine.getManagers();
		X509KeyManager keyManager = (X509KeyManager) Arrays.stream(managers.getKeyManagers())
			.filter(X509KeyManager.class::isInstance)
			.findFirst()
			.orElseThrow();
		X509TrustManager trustManager = (X509TrustManager) Arrays.stream(managers.getTrustManagers())
			.filter(X509TrustManager.class::isInstance)
			.findFirst()
			.orElseThrow();
		TomcatSslContext context = new TomcatSslContext(this.engine.createSslContext(), keyManager, trustManager,
				ConnectionLimit.of(connector, protocol), this.engine.getRefusedRenegotiations());
		for (SSLHostConfig hostConfig : protocol.findSslHostConfigs()) {
			// The server's order of the (all AEAD) suites decides, as on Jetty and Netty.
			hostConfig.setHonorCipherOrder(true);
			for (SSLHostConfigCertificate certificate : hostConfig.getCertificates(true)) {
				certificate.setSslContext(context);
			}
		}
		String implementation = protocol.getSslImplementationName();
		if (implementation == null || implementation.equals(JSSEImplementation.class.getName())) {
			protocol.setSslImplementationName(MtlsJsseImplementation.class.getName());
		}
	}

}
