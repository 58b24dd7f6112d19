package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link HostileInputSuite} on every server.
 */
class HostileInputTests {

	@Nested
	class Tomcat extends HostileInputSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends HostileInputSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends HostileInputSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
