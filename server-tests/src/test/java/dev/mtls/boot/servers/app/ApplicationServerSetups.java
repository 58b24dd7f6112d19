package dev.mtls.boot.servers.app;

import org.apache.catalina.connector.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.reactive.JettyReactiveWebServerFactory;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.tomcat.reactive.TomcatReactiveWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Ways applications set up their server that the starter must follow or refuse, chosen by
 * test properties: their own factory bean ({@code test.own-server-factory} naming the
 * server), and a customizer running after the starter's ({@code test.late-customizer}:
 * {@code client-auth-none}, {@code ssl-off}, {@code additional-connector} or
 * {@code jetty-connector-client-auth-none}).
 */
@Configuration(proxyBeanMethods = false)
class ApplicationServerSetups {

	private static final String OWN_FACTORY = "test.own-server-factory";

	@Bean
	@ConditionalOnProperty(name = OWN_FACTORY, havingValue = "TOMCAT")
	TomcatServletWebServerFactory ownTomcatServletFactory() {
		return new TomcatServletWebServerFactory();
	}

	@Bean
	@ConditionalOnProperty(name = OWN_FACTORY, havingValue = "TOMCAT_WEBFLUX")
	TomcatReactiveWebServerFactory ownTomcatReactiveFactory() {
		return new TomcatReactiveWebServerFactory();
	}

	@Bean
	@ConditionalOnProperty(name = OWN_FACTORY, havingValue = "JETTY")
	JettyServletWebServerFactory ownJettyServletFactory() {
		return new JettyServletWebServerFactory();
	}

	@Bean
	@ConditionalOnProperty(name = OWN_FACTORY, havingValue = "JETTY_WEBFLUX")
	JettyReactiveWebServerFactory ownJettyReactiveFactory() {
		return new JettyReactiveWebServerFactory();
	}

	@Bean
	@ConditionalOnProperty(name = OWN_FACTORY, havingValue = "NETTY")
	NettyReactiveWebServerFactory ownNettyFactory() {
		return new NettyReactiveWebServerFactory();
	}

	// Ordered last by default, so after the starter's.
	@Bean
	@ConditionalOnProperty(name = "test.late-customizer", havingValue = "client-auth-none")
	WebServerFactoryCustomizer<ConfigurableWebServerFactory> lateClientAuthNone() {
		return (factory) -> factory.setSsl(Ssl.forBundle("mtls"));
	}

	@Bean
	@ConditionalOnProperty(name = "test.late-customizer", havingValue = "ssl-off")
	WebServerFactoryCustomizer<ConfigurableWebServerFactory> lateSslOff() {
		return (factory) -> factory.setSsl(null);
	}

	// A Jetty server customizer added after the starter's, which changes the connector
	// the
	// starter configured.
	@Bean
	@ConditionalOnProperty(name = "test.late-customizer", havingValue = "jetty-connector-client-auth-none")
	WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> lateJettyConnectorClientAuthNone() {
		return (factory) -> factory.addServerCustomizers((server) -> {
			for (var jettyConnector : server.getConnectors()) {
				SslConnectionFactory tls = jettyConnector.getConnectionFactory(SslConnectionFactory.class);
				if (tls != null) {
					tls.getSslContextFactory().setNeedClientAuth(false);
					tls.getSslContextFactory().setWantClientAuth(false);
				}
			}
		});
	}

	@Bean
	@ConditionalOnProperty(name = "test.late-customizer", havingValue = "additional-connector")
	WebServerFactoryCustomizer<ConfigurableWebServerFactory> lateAdditionalConnector() {
		return (factory) -> {
			if (factory instanceof TomcatWebServerFactory tomcat) {
				Connector connector = new Connector();
				connector.setPort(0);
				tomcat.addAdditionalConnectors(connector);
			}
			else if (factory instanceof ConfigurableJettyWebServerFactory jetty) {
				jetty.addServerCustomizers((server) -> {
					ServerConnector connector = new ServerConnector(server);
					connector.setHost("127.0.0.1");
					server.addConnector(connector);
				});
			}
		};
	}

}
