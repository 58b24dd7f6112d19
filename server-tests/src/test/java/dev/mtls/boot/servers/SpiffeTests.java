package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link SpiffeSuite} on every server.
 */
class SpiffeTests {

	@Nested
	class Tomcat extends SpiffeSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends SpiffeSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends SpiffeSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
