package dev.mtls.boot.netty;

import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.ServerTlsEngine;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;

/**
 * Serves TLS on a Reactor Netty server with an {@link javax.net.ssl.SSLContext} made from
 * the {@value MtlsTlsMaterial#BUNDLE_NAME} bundle's managers, the JDK's or Conscrypt's as
 * {@code mtls.server.engine} says, instead of the one Spring Boot's
 * {@code SslServerCustomizer} builds: that context is Netty's own, outside the starter's
 * session limits, ended sessions on reload and engine choice. Key and trust managers
 * follow reloads themselves, so one context serves for the server's lifetime.
 *
 * @since 0.1.0
 */
public class MtlsNettyServerCustomizer implements NettyServerCustomizer {

	private static final String REFUSED_HANDSHAKE_HANDLER = "mtls.refusedHandshake";

	private static final String REFUSED_RENEGOTIATION_HANDLER = "mtls.refusedRenegotiation";

	private final SslContext sslContext;

	private final RefusedRenegotiationHandler refusedRenegotiations;

	/**
	 * Create a customizer.
	 * @param engine the server TLS engine
	 * @param clientAuth whether the server needs, wants or does not request client
	 * certificates
	 * @param options the enabled protocols and cipher suites
	 * @param http2 whether to offer HTTP/2 through ALPN
	 */
	public MtlsNettyServerCustomizer(ServerTlsEngine engine, Ssl.ClientAuth clientAuth, SslOptions options,
			boolean http2) {
		String[] ciphers = options.getCiphers();
		@Nullable List<String> cipherList = (ciphers != null) ? Arrays.asList(ciphers) : null;
		// Only a check that may wait on the network needs a thread other than the event
		// loop's: handing the JDK engine's tasks over costs a tenth of the handshake
		// rate.
		this.sslContext = engine.checksRevocationOnline()
				? new OffloadedHandshakeSslContext(engine.createSslContext(), cipherList, applicationProtocols(http2),
						clientAuth(clientAuth), options.getEnabledProtocols())
				: new JdkSslContext(engine.createSslContext(), false, cipherList, IdentityCipherSuiteFilter.INSTANCE,
						applicationProtocols(http2), clientAuth(clientAuth), options.getEnabledProtocols(), false);
		this.refusedRenegotiations = new RefusedRenegotiationHandler(engine.getRefusedRenegotiations());
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.secure((spec) -> spec.sslContext(this.sslContext))
			.doOnChannelInit((observer, channel, remoteAddress) -> {
				ChannelPipeline pipeline = channel.pipeline();
				SslHandler tls = pipeline.get(SslHandler.class);
				if (tls != null) {
					preferServerCipherSuiteOrder(tls.engine());
					pipeline.addAfter(pipeline.context(tls).name(), REFUSED_RENEGOTIATION_HANDLER,
							this.refusedRenegotiations);
				}
				if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
					pipeline.addBefore(NettyPipeline.H2OrHttp11Codec, REFUSED_HANDSHAKE_HANDLER,
							new RefusedHandshakeHandler());
				}
			});
	}

	/**
	 * Return the Netty context this customizer serves.
	 * @return the context
	 */
	public SslContext getSslContext() {
		return this.sslContext;
	}

	// Netty leaves the order to the client; the server's order of the (all AEAD) suites
	// decides, as on Tomcat and Jetty.
	private static void preferServerCipherSuiteOrder(SSLEngine engine) {
		SSLParameters parameters = engine.getSSLParameters();
		parameters.setUseCipherSuitesOrder(true);
		engine.setSSLParameters(parameters);
	}

	private static ApplicationProtocolConfig applicationProtocols(boolean http2) {
		if (!http2) {
			return ApplicationProtocolConfig.DISABLED;
		}
		return new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
				SelectedListenerFailureBehavior.ACCEPT,
				List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
	}

	private static ClientAuth clientAuth(Ssl.ClientAuth clientAuth) {
		return switch (clientAuth) {
			case NEED -> ClientAuth.REQUIRE;
			case WANT -> ClientAuth.OPTIONAL;
			case NONE -> ClientAuth.NONE;
		};
	}

}
