package dev.mtls.boot.servers;

import java.util.Arrays;
import java.util.List;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.jetty.JettyWebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle timeout of Jetty's mTLS connector: 5 minutes, as on Tomcat, unless
 * {@code server.jetty.connection-idle-timeout} is set (Jetty's own default is 30 s).
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class JettyIdleTimeoutTests {

	@Test
	void idleTimeoutWhenNotSetThenFiveMinutes(TestCertificateAuthority ca) {
		try (RunningServer running = RunningServer.start(Server.JETTY, ca.writeServiceProperties())) {
			assertThat(tlsConnectorIdleTimeouts(running)).containsExactly(300_000L);
		}
	}

	@Test
	void idleTimeoutWhenSetThenLeftAsSet(TestCertificateAuthority ca) {
		try (RunningServer running = RunningServer.start(Server.JETTY,
				ca.writeServiceProperties("server.jetty.connection-idle-timeout=7s"))) {
			assertThat(tlsConnectorIdleTimeouts(running)).containsExactly(7_000L);
		}
	}

	private static List<Long> tlsConnectorIdleTimeouts(RunningServer running) {
		return Arrays.stream(((JettyWebServer) running.webServer()).getServer().getConnectors())
			.filter((connector) -> connector.getConnectionFactory(SslConnectionFactory.class) != null)
			.map((connector) -> ((AbstractConnector) connector).getIdleTimeout())
			.toList();
	}

}
