package dev.mtls.boot.tomcat;

import org.apache.coyote.http11.Http11Nio2Protocol;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsTomcatProtocolCustomizer}.
 */
class MtlsTomcatProtocolCustomizerTests {

	@Test
	void customizeWhenDefaultProtocolThenHandshakeDeadlineProtocol() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();

		new MtlsTomcatProtocolCustomizer().customize(factory);

		assertThat(factory.getProtocol()).isEqualTo(HandshakeDeadlineNioProtocol.class.getName());
	}

	@Test
	void customizeWhenApplicationChoseAProtocolThenLeftAsChosen() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		factory.setProtocol(Http11Nio2Protocol.class.getName());

		new MtlsTomcatProtocolCustomizer().customize(factory);

		assertThat(factory.getProtocol()).isEqualTo(Http11Nio2Protocol.class.getName());
	}

}
