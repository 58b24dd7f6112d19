package dev.mtls.boot.autoconfigure.web.server;

import java.nio.file.Path;

import dev.mtls.boot.testsupport.TestPki;
import dev.mtls.boot.testsupport.TestService;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive of the mTLS connector, tuned for long-lived service-to-service connections.
 */
class MtlsTomcatKeepAliveTests {

	@Test
	void connectorWhenDefaultsThenUnlimitedRequestsAndFiveMinutesIdle(@TempDir Path directory) {
		TestPki pki = new TestPki(directory);
		try (TestService service = TestService.start(pki.serviceProperties())) {
			AbstractHttp11Protocol<?> protocol = protocol(service);

			assertThat(protocol.getMaxKeepAliveRequests()).isEqualTo(-1);
			assertThat(protocol.getKeepAliveTimeout()).isEqualTo(300_000);
		}
	}

	@Test
	void connectorWhenBootPropertiesSetThenTheyWin(@TempDir Path directory) {
		TestPki pki = new TestPki(directory);
		try (TestService service = TestService.start(pki.serviceProperties("server.tomcat.max-keep-alive-requests=50",
				"server.tomcat.keep-alive-timeout=7s"))) {
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
