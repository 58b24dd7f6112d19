package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ClientAuthNeedSuite} on every server, and WebFlux on Tomcat and on Jetty.
 */
class ClientAuthNeedTests {

	@Nested
	class Tomcat extends ClientAuthNeedSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ClientAuthNeedSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ClientAuthNeedSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

	@Nested
	class TomcatWebFlux extends ClientAuthNeedSuite {

		TomcatWebFlux() {
			super(Server.TOMCAT_WEBFLUX);
		}

	}

	@Nested
	class JettyWebFlux extends ClientAuthNeedSuite {

		JettyWebFlux() {
			super(Server.JETTY_WEBFLUX);
		}

	}

}
