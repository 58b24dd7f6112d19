package dev.mtls.boot.autoconfigure.web.server;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive of the mTLS connector, tuned for long-lived service-to-service connections.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsTomcatKeepAliveTests {

	@Test
	void connectorWhenDefaultsThenUnlimitedRequestsAndFiveMinutesIdle(TestCertificateAuthority ca) {
		try (TestService service = TestService.start(ca.writeServiceProperties())) {
			AbstractHttp11Protocol<?> protocol = protocol(service);

			assertThat(protocol.getMaxKeepAliveRequests()).isEqualTo(-1);
			assertThat(protocol.getKeepAliveTimeout()).isEqualTo(300_000);
		}
	}

	@Test
	void connectorWhenBootPropertiesSetThenTheyWin(TestCertificateAuthority ca) {
		try (TestService service = TestService.start(ca.writeServiceProperties(
				"server.tomcat.max-keep-alive-requests=50", "server.tomcat.keep-alive-timeout=7s"))) {
			AbstractHttp11Protocol<?> protocol = protocol(service);

			assertThat(protocol.getMaxKeepAliveRequests()).isEqualTo(50);
			assertThat(protocol.getKeepAliveTimeout()).isEqualTo(7_000);
		}
	}

	private static AbstractHttp11Protocol<?> protocol(TestService service) {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) service.context()).getWebServer();
		return (AbstractHttp11Protocol<?>) server.getTomcat().getConnector().getProtocolHandler();
	}

}
