package dev.mtls.boot.web.server;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.junit.jupiter.api.Test;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MtlsWebServerFactoryCustomizer}.
 */
class MtlsWebServerFactoryCustomizerTests {

	private final MtlsWebServerFactoryCustomizer customizer = new MtlsWebServerFactoryCustomizer(Ssl.ClientAuth.NEED,
			new DefaultSslBundleRegistry());

	@Test
	void customizeWhenTomcatThenServesTheMtlsBundleWithClientAuth() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();

		this.customizer.customize(factory);

		assertThat(factory.getSsl().getBundle()).isEqualTo(MtlsTlsMaterial.BUNDLE_NAME);
		assertThat(factory.getSsl().getClientAuth()).isEqualTo(Ssl.ClientAuth.NEED);
	}

	@Test
	void customizeWhenReactorNettyThenServesTheMtlsBundleWithClientAuth() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

		this.customizer.customize(factory);

		assertThat(factory.getSsl().getBundle()).isEqualTo(MtlsTlsMaterial.BUNDLE_NAME);
		assertThat(factory.getSsl().getClientAuth()).isEqualTo(Ssl.ClientAuth.NEED);
	}

	@Test
	void customizeWhenAnotherServerThenStartUpStopsNamingIt() {
		OtherServerFactory factory = new OtherServerFactory();

		assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(() -> this.customizer.customize(factory))
			.withMessageContaining("mtls.enabled")
			.withMessageContaining("this application's server is " + OtherServerFactory.class.getName())
			.withMessageContaining("would skip the starter's certificate policy, revocation checks");
		assertThat(factory.getSsl()).isNull();
	}

	/**
	 * A server the starter cannot configure.
	 */
	static class OtherServerFactory extends AbstractConfigurableWebServerFactory {

	}

}
