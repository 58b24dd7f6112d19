package dev.mtls.boot.servers;

import java.util.Arrays;
import java.util.stream.Stream;

import javax.net.ssl.SSLEngine;

import dev.mtls.boot.netty.MtlsNettyServerCustomizer;
import dev.mtls.boot.test.TestCertificateAuthority;
import io.netty.buffer.ByteBufAllocator;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client-auth need suite with {@code mtls.server.engine=conscrypt}: BoringSSL through
 * Conscrypt must carry the same policy, revocation, protocols and suites as the JDK's
 * TLS.
 */
abstract class ConscryptEngineSuite extends ClientAuthNeedSuite {

	ConscryptEngineSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		return Stream.concat(Arrays.stream(super.properties(ca)), Stream.of("mtls.server.engine=conscrypt"))
			.toArray(String[]::new);
	}

	@Test
	void serverWhenConscryptEngineThenHandshakesOnConscrypt() {
		SSLEngine engine = serverEngine();
		// On Tomcat, the starter's wrapper (which counts refused renegotiations) is named
		// as the engine it wraps.
		String name = engine.getClass().getName().startsWith("dev.mtls.") ? engine.toString()
				: engine.getClass().getName();
		assertThat(name).startsWith("org.conscrypt.");
	}

	/**
	 * Return a new engine of the context the running server handshakes with.
	 */
	private SSLEngine serverEngine() {
		WebServer webServer = this.service.webServer();
		return switch (this.server) {
			case TOMCAT,
					TOMCAT_WEBFLUX ->
				((AbstractHttp11Protocol<?>) ((TomcatWebServer) webServer).getTomcat()
					.getConnector()
					.getProtocolHandler()).findSslHostConfigs()[0].getCertificates()
					.iterator()
					.next()
					.getSslContext()
					.createSSLEngine();
			case JETTY,
					JETTY_WEBFLUX ->
				((JettyWebServer) webServer).getServer().getConnectors()[0]
					.getConnectionFactory(SslConnectionFactory.class)
					.getSslContextFactory()
					.newSSLEngine();
			// Reactor Netty's server keeps its SslContext to itself: ask the customizer
			// that handed it over.
			case NETTY -> this.service.context()
				.getBean(NettyReactiveWebServerFactory.class)
				.getServerCustomizers()
				.stream()
				.filter(MtlsNettyServerCustomizer.class::isInstance)
				.map(MtlsNettyServerCustomizer.class::cast)
				.findFirst()
				.orElseThrow()
				.getSslContext()
				.newEngine(ByteBufAllocator.DEFAULT);
		};
	}

}
