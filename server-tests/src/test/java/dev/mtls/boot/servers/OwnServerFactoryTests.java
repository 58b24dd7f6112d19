package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ClientAuthNeedSuite} where the application declares its own server factory bean,
 * as Spring Boot documents: Boot then applies its connector customizer beans to no
 * factory, and the starter must still serve its own TLS on every server.
 */
class OwnServerFactoryTests {

	@Nested
	class Tomcat extends ClientAuthNeedSuite {

		Tomcat() {
			super(Server.TOMCAT, "test.own-server-factory=TOMCAT");
		}

	}

	@Nested
	class Jetty extends ClientAuthNeedSuite {

		Jetty() {
			super(Server.JETTY, "test.own-server-factory=JETTY");
		}

	}

	@Nested
	class Netty extends ClientAuthNeedSuite {

		Netty() {
			super(Server.NETTY, "test.own-server-factory=NETTY");
		}

	}

	@Nested
	class TomcatWebFlux extends ClientAuthNeedSuite {

		TomcatWebFlux() {
			super(Server.TOMCAT_WEBFLUX, "test.own-server-factory=TOMCAT_WEBFLUX");
		}

	}

	@Nested
	class JettyWebFlux extends ClientAuthNeedSuite {

		JettyWebFlux() {
			super(Server.JETTY_WEBFLUX, "test.own-server-factory=JETTY_WEBFLUX");
		}

	}

}
