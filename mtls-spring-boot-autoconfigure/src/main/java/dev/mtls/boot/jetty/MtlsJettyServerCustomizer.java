package dev.mtls.boot.jetty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;

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
import org.eclipse.jetty.util.component.Container;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.web.server.Ssl;
import org.springframework.util.ClassUtils;

/**
 * Hands every connector of a Jetty server an {@link javax.net.ssl.SSLContext} made from
 * the {@value MtlsTlsMaterial#BUNDLE_NAME} bundle's managers instead of the one Jetty
 * would build from the bundle's key stores: Jetty's own trust managers know nothing of
 * the starter's policy, revocation or reloading. Spring Boot has configured the
 * connector's client-auth, protocols and cipher suites from the bundle already; they
 * stay. A handshake must complete within the connector's idle timeout of the connection's
 * opening ({@link HandshakeDeadline}).
 * <p>
 * Stops start-up for a connector without TLS or with another client-auth, and checks
 * every connector again as it joins the server when Spring Boot starts it, so that a
 * later customizer can neither add a connector nor change one.
 *
 * @since 0.1.0
 */
public class MtlsJettyServerCustomizer implements JettyServerCustomizer {

	private static final String CONSCRYPT_ALPN = "org.eclipse.jetty.alpn.conscrypt.server.ConscryptServerALPNProcessor";

	private static final String ALPN_CONNECTION_FACTORY = "org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory";

	private final ServerTlsEngine engine;

	private final Ssl.ClientAuth clientAuth;

	private final String clientAuthProperty;

	/**
	 * Create a customizer.
	 * @param engine the server TLS engine
	 * @param clientAuth the client-auth every connector must have
	 * @param clientAuthProperty the property that sets it, named by a failure
	 */
	public MtlsJettyServerCustomizer(ServerTlsEngine engine, Ssl.ClientAuth clientAuth, String clientAuthProperty) {
		this.engine = engine;
		this.clientAuth = clientAuth;
		this.clientAuthProperty = clientAuthProperty;
	}

	@Override
	public void customize(Server server) {
		Map<Connector, SSLContext> configured = Collections.synchronizedMap(new IdentityHashMap<>());
		for (Connector connector : server.getConnectors()) {
			SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
			if (tls == null || !isDefault(connector, tls)) {
				// A customizer that ran after the starter's turned TLS off.
				throw unchecked(connector, "serves without TLS");
			}
			assertAlpnAvailable(connector);
			SslContextFactory.Server factory = tls.getSslContextFactory();
			checkClientAuth(connector, factory);
			SSLContext context = this.engine.createSslContext();
			factory.setSslContext(context);
			// Jetty's default too: the server's order of the (all AEAD) suites
			// decides.
			factory.setUseCipherSuitesOrder(true);
			HandshakeDeadline.apply(connector);
			countRefusedRenegotiations(connector, tls);
			if (this.engine.isWorkloadIdentity()) {
				skipSniHostCheck(connector);
			}
			configured.put(connector, context);
		}
		// Server customizers that run after this one could add a connector or change
		// one. Spring Boot takes the connectors out of the server until it starts it, and
		// each joins again then, before it binds: checked again there.
		server.addEventListener(new Container.Listener() {

			@Override
			public void beanAdded(Container parent, Object child) {
				if (child instanceof Connector connector) {
					SSLContext context = configured.get(connector);
					if (context == null) {
						throw unchecked(connector, "was added after the starter configured the server");
					}
					check(connector, context);
				}
			}

			@Override
			public void beanRemoved(Container parent, Object child) {
			}

		});
	}

	private void check(Connector connector, SSLContext context) {
		SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
		if (tls == null || !isDefault(connector, tls)) {
			throw unchecked(connector, "serves without TLS");
		}
		if (tls.getSslContextFactory().getSslContext() != context) {
			throw unchecked(connector, "serves TLS that the starter did not configure");
		}
		checkClientAuth(connector, tls.getSslContextFactory());
	}

	// A connector whose first protocol is not TLS serves its connections in plain text,
	// whatever other factories it lists.
	private static boolean isDefault(Connector connector, SslConnectionFactory tls) {
		return connector.getDefaultConnectionFactory() == tls;
	}

	private static MtlsConfigurationException unchecked(Connector connector, String problem) {
		return new MtlsConfigurationException("mtls.enabled", "true",
				"Jetty's connector %s %s, so its connections would skip the starter's certificate checks (a customizer that ran after the starter's, or an additional connector)"
					.formatted(connector, problem),
				"Serve every connector through the starter (remove the additional connector, or the customizer that "
						+ "changes the server's TLS), or set mtls.enabled=false.");
	}

	private void checkClientAuth(Connector connector, SslContextFactory.Server factory) {
		Ssl.ClientAuth configured = factory.getNeedClientAuth() ? Ssl.ClientAuth.NEED
				: factory.getWantClientAuth() ? Ssl.ClientAuth.WANT : Ssl.ClientAuth.NONE;
		if (configured != this.clientAuth) {
			throw new MtlsConfigurationException(this.clientAuthProperty,
					this.clientAuth.name().toLowerCase(Locale.ROOT),
					"Jetty's connector %s has client-auth '%s', not what this property says: a customizer that ran after the starter's changed it"
						.formatted(connector, configured.name().toLowerCase(Locale.ROOT)),
					"Remove the customizer's client-auth (or its Ssl), and set client-auth through this property.");
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
