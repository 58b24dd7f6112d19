package dev.mtls.boot.netty;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
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
	void customizeWhenHttp11ThenEachConnectionGetsTheStartersIdleHandler() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		new MtlsNettyIdleTimeoutCustomizer(MtlsNettyIdleTimeoutCustomizer.IDLE_TIMEOUT).customize(factory);

		HttpServer server = customized(factory, HttpServer.create());
		assertThat(server.configuration().idleTimeout()).isNull();
		EmbeddedChannel channel = initialized(server);
		assertThat(channel.pipeline().names()).containsSubsequence(NettyPipeline.HttpCodec,
				MtlsNettyIdleTimeoutCustomizer.HANDLER_NAME);
		assertThat(channel.pipeline().get(IdleConnectionHandler.class).getTimeout()).isEqualTo(Duration.ofMinutes(5));
		channel.finishAndReleaseAll();
	}

	@Test
	void serverWhenConnectionIdleThenClosedButNotDuringASlowResponse() throws Exception {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
		new MtlsNettyIdleTimeoutCustomizer(Duration.ofMillis(500)).customize(factory);
		DisposableServer server = customized(factory, HttpServer.create().host("127.0.0.1").port(0))
			.route((routes) -> routes.get("/slow", (request, response) -> response
				.sendString(Mono.just("slow").delayElement(Duration.ofMillis(1500)))))
			.bindNow();
		try (Socket socket = new Socket("127.0.0.1", server.port())) {
			socket.setSoTimeout(10_000);
			long start = System.nanoTime();
			socket.getOutputStream()
				.write("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			String response = "";
			byte[] buffer = new byte[4096];
			while (!response.endsWith("slow")) {
				int read = in.read(buffer);
				assertThat(read).as("bytes before the connection closed, after: " + response).isPositive();
				response += new String(buffer, 0, read, StandardCharsets.US_ASCII);
			}
			assertThat(response).startsWith("HTTP/1.1 200").endsWith("slow");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1400));

			long answered = System.nanoTime();
			assertThat(in.read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - answered)).isBetween(Duration.ofMillis(300),
					Duration.ofSeconds(5));
		}
		finally {
			server.disposeNow();
		}
	}

	@Test
	void customizeWhenHttp2ThenReactorNettysIdleTimeout() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		new MtlsNettyIdleTimeoutCustomizer(MtlsNettyIdleTimeoutCustomizer.IDLE_TIMEOUT).customize(factory);

		HttpServer server = customized(factory, HttpServer.create().protocol(HttpProtocol.H2, HttpProtocol.HTTP11));
		assertThat(server.configuration().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
		assertThat(initialized(server).pipeline().get(MtlsNettyIdleTimeoutCustomizer.HANDLER_NAME)).isNull();
	}

	@Test
	void customizeWhenIdleTimeoutSetByAnEarlierCustomizerThenLeftAsSet() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		new MtlsNettyIdleTimeoutCustomizer(MtlsNettyIdleTimeoutCustomizer.IDLE_TIMEOUT).customize(factory);

		HttpServer server = customized(factory, HttpServer.create().idleTimeout(Duration.ofMinutes(30)));
		assertThat(server.configuration().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
		assertThat(initialized(server).pipeline().get(MtlsNettyIdleTimeoutCustomizer.HANDLER_NAME)).isNull();
	}

	@Test
	void customizeWhenPropertySetThenLeftAsBootConfiguresIt() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		new MtlsNettyIdleTimeoutCustomizer(null).customize(factory);

		assertThat(factory.getServerCustomizers()).isEmpty();
	}

	// A connection as Reactor Netty initializes an HTTP/1.1 one, up to its HTTP codec.
	private static EmbeddedChannel initialized(HttpServer server) {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline().addLast(NettyPipeline.HttpCodec, new ChannelInboundHandlerAdapter());
		ChannelPipelineConfigurer configurer = server.configuration().doOnChannelInit();
		if (configurer != null) {
			configurer.onChannelInit(ConnectionObserver.emptyListener(), channel, null);
		}
		return channel;
	}

	private static HttpServer customized(NettyReactiveWebServerFactory factory, HttpServer server) {
		for (NettyServerCustomizer customizer : factory.getServerCustomizers()) {
			server = customizer.apply(server);
		}
		return server;
	}

}
