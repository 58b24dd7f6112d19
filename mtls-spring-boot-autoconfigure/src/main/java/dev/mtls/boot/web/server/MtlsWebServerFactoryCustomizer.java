package dev.mtls.boot.web.server;

import java.util.List;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Makes the embedded web server serve HTTPS only, with the
 * {@value MtlsTlsMaterial#BUNDLE_NAME} bundle and the client-auth of given client-auth
 * ({@code mtls.server.client-auth}, or {@code mtls.management.client-auth} on a separate
 * management server). Runs after Spring Boot's own customizers, so it replaces any
 * {@code server.ssl} settings. Tomcat, Jetty and Reactor Netty are supported, each
 * through its adapter; any other server stops start-up, as its handshakes would skip the
 * starter's checks.
 *
 * @since 0.1.0
 */
public class MtlsWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

	private static final Log logger = LogFactory.getLog(MtlsWebServerFactoryCustomizer.class);

	private final Ssl.ClientAuth clientAuth;

	/**
	 * The factories whose TLS the starter's server adapters configure: Tomcat's and
	 * Jetty's, servlet or reactive, and Reactor Netty's.
	 */
	private static final List<String> SUPPORTED_FACTORIES = List.of(
			"org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory",
			"org.springframework.boot.jetty.ConfigurableJettyWebServerFactory",
			"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory");

	private final SslBundles sslBundles;

	/**
	 * Create a customizer.
	 * @param clientAuth whether the server needs, wants or does not request client
	 * certificates
	 * @param sslBundles the bundles, holding {@value MtlsTlsMaterial#BUNDLE_NAME}
	 */
	public MtlsWebServerFactoryCustomizer(Ssl.ClientAuth clientAuth, SslBundles sslBundles) {
		this.clientAuth = clientAuth;
		this.sslBundles = sslBundles;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		if (!isSupported(factory)) {
			// Any other server would build its own TLS from the bundle's key stores, and
			// its handshakes would skip the policy, revocation checks, reload and session
			// limits.
			throw new MtlsConfigurationException("mtls.enabled", "true",
					"the starter secures Tomcat, Jetty and Reactor Netty; this application's server is "
							+ factory.getClass().getName()
							+ ", whose handshakes would skip the starter's certificate policy, revocation checks, "
							+ "reload and session limits",
					"Use Tomcat or Jetty (Spring MVC) or Reactor Netty (WebFlux), or set mtls.enabled=false.");
		}
		if (factory instanceof AbstractConfigurableWebServerFactory configurable && Ssl.isEnabled(configurable.getSsl())
				&& !MtlsTlsMaterial.BUNDLE_NAME.equals(configurable.getSsl().getBundle())) {
			logger.warn("server.ssl (or management.server.ssl) settings are replaced by mtls.*: "
					+ "set mtls.enabled=false to use them");
		}
		Ssl ssl = Ssl.forBundle(MtlsTlsMaterial.BUNDLE_NAME);
		ssl.setClientAuth(this.clientAuth);
		factory.setSsl(ssl);
		factory.setSslBundles(this.sslBundles);
	}

	private static boolean isSupported(ConfigurableWebServerFactory factory) {
		ClassLoader classLoader = factory.getClass().getClassLoader();
		for (String type : SUPPORTED_FACTORIES) {
			if (ClassUtils.isPresent(type, classLoader)
					&& ClassUtils.resolveClassName(type, classLoader).isInstance(factory)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		// After Spring Boot's own customizers, which apply server.ssl and
		// management.server.ssl.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
