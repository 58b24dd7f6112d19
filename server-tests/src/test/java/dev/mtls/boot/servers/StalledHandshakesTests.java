package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link StalledHandshakesSuite} on every server.
 */
class StalledHandshakesTests {

	@Nested
	class Tomcat extends StalledHandshakesSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends StalledHandshakesSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends StalledHandshakesSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
