package dev.mtls.boot.servers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mtls.boot.netty.MtlsNettyIdleTimeoutCustomizer;
import dev.mtls.boot.servers.app.ServerTestApp;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
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
		void managementServerCustomizersWhenAppliedThenIdleHttp11ConnectionsClosedAfterFiveMinutes() {
			WebServerApplicationContext management = this.service.context()
				.getBean(ServerTestApp.WebServers.class)
				.managementContext();
			HttpServer server = HttpServer.create();
			for (NettyServerCustomizer customizer : management.getBean(NettyReactiveWebServerFactory.class)
				.getServerCustomizers()) {
				server = customizer.apply(server);
			}

			EmbeddedChannel channel = new EmbeddedChannel();
			channel.freezeTime();
			channel.pipeline().addLast(NettyPipeline.HttpCodec, new ChannelInboundHandlerAdapter());
			server.configuration().doOnChannelInit().onChannelInit(ConnectionObserver.emptyListener(), channel, null);

			assertThat(channel.pipeline().get(MtlsNettyIdleTimeoutCustomizer.HANDLER_NAME)).isNotNull();
			channel.advanceTimeBy(Duration.ofMinutes(5).minusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
			channel.runScheduledPendingTasks();
			assertThat(channel.isOpen()).isTrue();
			channel.advanceTimeBy(1, TimeUnit.SECONDS);
			channel.runScheduledPendingTasks();
			assertThat(channel.isOpen()).isFalse();
			channel.finishAndReleaseAll();
		}

	}

}
