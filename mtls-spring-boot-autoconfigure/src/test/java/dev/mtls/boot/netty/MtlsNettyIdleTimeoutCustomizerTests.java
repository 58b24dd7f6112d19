package dev.mtls.boot.netty;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle timeout of the Reactor Netty mTLS server: 5 minutes unless
 * {@code server.netty.idle-timeout} is set.
 */
class MtlsNettyIdleTimeoutCustomizerTests {

	@Test
	void customizeWhenDefaultThenIdleConnectionsClosedAfterFiveMinutes() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		new MtlsNettyIdleTimeoutCustomizer(MtlsNettyIdleTimeoutCustomizer.IDLE_TIMEOUT).customize(factory);

		assertThat(customized(factory).configuration().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void customizeWhenPropertySetThenLeftAsBootConfiguresIt() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		new MtlsNettyIdleTimeoutCustomizer(null).customize(factory);

		assertThat(factory.getServerCustomizers()).isEmpty();
	}

	private static HttpServer customized(NettyReactiveWebServerFactory factory) {
		HttpServer server = HttpServer.create();
		for (NettyServerCustomizer customizer : factory.getServerCustomizers()) {
			server = customizer.apply(server);
		}
		return server;
	}

}
