package dev.mtls.boot.jetty;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.ServerTlsEngine;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.util.ClassUtils;

/**
 * Hands every TLS connector of a Jetty server an {@link javax.net.ssl.SSLContext} made
 * from the {@value MtlsTlsMaterial#BUNDLE_NAME} bundle's managers instead of the one
 * Jetty would build from the bundle's key stores: Jetty's own trust managers know nothing
 * of the starter's policy, revocation or reloading. Spring Boot has configured the
 * connector's client-auth, protocols and cipher suites from the bundle already; they
 * stay. A handshake must complete within the connector's idle timeout of the connection's
 * opening ({@link HandshakeDeadline}).
 *
 * @since 0.1.0
 */
public class MtlsJettyServerCustomizer implements JettyServerCustomizer {

	private static final String CONSCRYPT_ALPN = "org.eclipse.jetty.alpn.conscrypt.server.ConscryptServerALPNProcessor";

	private static final String ALPN_CONNECTION_FACTORY = "org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory";

	private final ServerTlsEngine engine;

	public MtlsJettyServerCustomizer(ServerTlsEngine engine) {
		this.engine = engine;
	}

	@Override
	public void customize(Server server) {
		for (Connector connector : server.getConnectors()) {
			SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
			if (tls != null) {
				assertAlpnAvailable(connector);
				SslContextFactory.Server factory = tls.getSslContextFactory();
				factory.setSslContext(this.engine.createSslContext());
				// Jetty's default too: the server's order of the (all AEAD) suites
				// decides.
				factory.setUseCipherSuitesOrder(true);
				HandshakeDeadline.apply(connector);
				countRefusedRenegotiations(connector, tls);
				if (this.engine.isWorkloadIdentity()) {
					skipSniHostCheck(connector);
				}
			}
		}
	}

	// In place of Jetty's own factory, first in line, as the connector's default
	// protocol.
	private void countRefusedRenegotiations(Connector connector, SslConnectionFactory tls) {
		if (connector instanceof AbstractConnector abstractConnector) {
			List<ConnectionFactory> factories = new ArrayList<>(abstractConnector.getConnectionFactories());
			factories.replaceAll((factory) -> (factory != tls) ? factory
					: new RenegotiationCountingSslConnectionFactory(tls, this.engine.getRefusedRenegotiations()));
			abstractConnector.setConnectionFactories(factories);
		}
	}

	// Jetty answers 400 to a request whose host its certificate does not name; a SPIFFE
	// SVID names no host.
	private static void skipSniHostCheck(Connector connector) {
		for (ConnectionFactory factory : connector.getConnectionFactories()) {
			if (factory instanceof HttpConfiguration.ConnectionFactory http) {
				SecureRequestCustomizer secure = http.getHttpConfiguration()
					.getCustomizer(SecureRequestCustomizer.class);
				if (secure != null) {
					secure.setSniHostCheck(false);
				}
			}
		}
	}

	// Jetty negotiates HTTP/2 through an ALPN processor that must know the TLS engine:
	// Conscrypt's engine needs Jetty's Conscrypt processor, or every HTTP/2 handshake
	// would fail.
	private void assertAlpnAvailable(Connector connector) {
		ClassLoader classLoader = connector.getClass().getClassLoader();
		boolean alpn = ClassUtils.isPresent(ALPN_CONNECTION_FACTORY, classLoader) && connector.getConnectionFactories()
			.stream()
			.anyMatch((factory) -> factory.getClass().getName().equals(ALPN_CONNECTION_FACTORY));
		if (alpn && this.engine.getProviderName() != null && !ClassUtils.isPresent(CONSCRYPT_ALPN, classLoader)) {
			throw new MtlsConfigurationException(ServerTlsEngine.PROPERTY, "conscrypt",
					"Jetty negotiates HTTP/2 (server.http2.enabled=true) through an ALPN processor, and the one for "
							+ "Conscrypt's engine is not on the class path",
					"Add org.eclipse.jetty:jetty-alpn-conscrypt-server, set server.http2.enabled=false, "
							+ "or set mtls.server.engine to jdk.");
		}
	}

}
