package dev.mtls.boot.servers;

import java.time.Duration;

import dev.mtls.boot.servers.app.ServerTestApp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ManagementPortSuite} on every server.
 */
class ManagementPortTests {

	@Nested
	class Tomcat extends ManagementPortSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ManagementPortSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ManagementPortSuite {

		Netty() {
			super(Server.NETTY);
		}

		// Boot's management context takes only Boot's own customizers from the main
		// context, and Reactor Netty keeps an idle connection for ever by default.
		@Test
		void managementServerWhenStartedThenIdleConnectionsClosedAfterFiveMinutes() {
			WebServerApplicationContext management = this.service.context()
				.getBean(ServerTestApp.WebServers.class)
				.managementContext();
			HttpServer server = HttpServer.create();
			for (NettyServerCustomizer customizer : management.getBean(NettyReactiveWebServerFactory.class)
				.getServerCustomizers()) {
				server = customizer.apply(server);
			}

			assertThat(server.configuration().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
		}

	}

}
