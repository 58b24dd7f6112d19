package dev.mtls.boot.servers;

import java.io.IOException;
import java.net.SocketException;
import java.util.function.BiConsumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.jetty.MtlsJettyServerCustomizer;
import dev.mtls.boot.servers.app.JettyServers;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TlsProbe;
import dev.mtls.boot.tls.ServerTlsEngine;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.web.server.Ssl;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A customizer of the application that runs after the starter's and changes the server's
 * TLS: on Tomcat and Jetty start-up stops, naming what would have been lost; Reactor
 * Netty keeps serving the starter's TLS whatever the factory says.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class LateServerCustomizerTests {

	@ParameterizedTest
	@EnumSource(names = { "TOMCAT", "JETTY", "TOMCAT_WEBFLUX", "JETTY_WEBFLUX" })
	void startWhenLaterCustomizerTurnsClientAuthOffThenFailsNamingClientAuth(Server server,
			TestCertificateAuthority ca) {
		assertThatThrownBy(() -> start(server, ca, "client-auth-none").close())
			.satisfies((ex) -> assertThat(configurationFailure(ex).getProperty()).isEqualTo("mtls.server.client-auth"));
	}

	@ParameterizedTest
	@EnumSource(names = { "TOMCAT", "JETTY", "TOMCAT_WEBFLUX", "JETTY_WEBFLUX" })
	void startWhenLaterCustomizerTurnsTlsOffThenFails(Server server, TestCertificateAuthority ca) {
		assertThatThrownBy(() -> start(server, ca, "ssl-off").close())
			.satisfies((ex) -> assertThat(configurationFailure(ex).getProblem()).contains("serves without TLS"));
	}

	@ParameterizedTest
	@EnumSource(names = { "TOMCAT", "JETTY", "TOMCAT_WEBFLUX", "JETTY_WEBFLUX" })
	void startWhenLaterCustomizerAddsConnectorThenFails(Server server, TestCertificateAuthority ca) {
		assertThatThrownBy(() -> start(server, ca, "additional-connector").close())
			.satisfies((ex) -> assertThat(configurationFailure(ex).getProblem()).contains("connector"));
	}

	@ParameterizedTest
	@EnumSource(names = { "JETTY", "JETTY_WEBFLUX" })
	void startWhenLaterJettyServerCustomizerChangesConfiguredConnectorThenFailsNamingClientAuth(Server server,
			TestCertificateAuthority ca) {
		assertThatThrownBy(() -> start(server, ca, "jetty-connector-client-auth-none").close())
			.satisfies((ex) -> assertThat(configurationFailure(ex).getProperty()).isEqualTo("mtls.server.client-auth"));
	}

	@Test
	void startWhenLaterCustomizerChangesNettysTlsThenClientCertificateStillNeeded(TestCertificateAuthority ca)
			throws IOException {
		for (String customizer : new String[] { "client-auth-none", "ssl-off" }) {
			try (RunningServer service = start(Server.NETTY, ca, customizer)) {
				assertThat(TlsProbe.get(ca.client("alice").sslBundle().createSslContext(), service.port(), "/whoami"))
					.startsWith("HTTP/1.1 200");
				assertThatIOException()
					.isThrownBy(() -> TlsProbe.get(withoutCertificate(ca), service.port(), "/whoami"))
					.isInstanceOfAny(SSLException.class, SocketException.class);
			}
		}
	}

	@Test
	void jettyConnectorChangedAfterStarterCustomizedItThenRefusedWhenItJoinsServer(TestCertificateAuthority ca) {
		try (RunningServer service = RunningServer.start(Server.JETTY, ca.writeServiceProperties())) {
			ServerTlsEngine engine = service.context().getBean(ServerTlsEngine.class);
			// As a server customizer running after the starter's could, then as Spring
			// Boot's JettyWebServer puts the connectors back when it starts the server.
			assertThat(refusal(engine, (connector, tls) -> tls.setNeedClientAuth(false)).getProperty())
				.isEqualTo("mtls.server.client-auth");
			assertThat(refusal(engine, (connector, tls) -> tls.setSslContext(null)).getProblem())
				.contains("serves TLS that the starter did not configure");
			assertThat(refusal(engine, (connector, tls) -> connector.setDefaultProtocol("http/1.1")).getProblem())
				.contains("serves without TLS");
		}
	}

	private static MtlsConfigurationException refusal(ServerTlsEngine engine,
			BiConsumer<ServerConnector, SslContextFactory.Server> change) {
		var jetty = JettyServers.newServer();
		SslContextFactory.Server tls = new SslContextFactory.Server();
		tls.setNeedClientAuth(true);
		ServerConnector connector = new ServerConnector(jetty, tls);
		jetty.addConnector(connector);
		new MtlsJettyServerCustomizer(engine, Ssl.ClientAuth.NEED, "mtls.server.client-auth").customize(jetty);
		change.accept(connector, tls);
		Connector[] connectors = jetty.getConnectors();
		jetty.setConnectors(null);
		Throwable thrown = catchThrowable(() -> jetty.setConnectors(connectors));
		assertThat(thrown).isInstanceOf(MtlsConfigurationException.class);
		return (MtlsConfigurationException) thrown;
	}

	private static RunningServer start(Server server, TestCertificateAuthority ca, String customizer) {
		return RunningServer.start(server, ca.writeServiceProperties("test.late-customizer=" + customizer));
	}

	private static SSLContext withoutCertificate(TestCertificateAuthority ca) {
		return ca.trustOnlySslBundle().createSslContext();
	}

	private static MtlsConfigurationException configurationFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof MtlsConfigurationException failure) {
				return failure;
			}
		}
		throw new AssertionError("No MtlsConfigurationException in " + NestedExceptionUtils.getMostSpecificCause(ex),
				ex);
	}

}
