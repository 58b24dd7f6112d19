package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ReloadSuite} on every server.
 */
class ReloadTests {

	@Nested
	class Tomcat extends ReloadSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ReloadSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ReloadSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
