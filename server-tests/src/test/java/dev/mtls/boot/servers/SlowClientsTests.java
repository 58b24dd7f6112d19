package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link SlowClientsSuite} on every server.
 */
class SlowClientsTests {

	@Nested
	class Tomcat extends SlowClientsSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends SlowClientsSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends SlowClientsSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
