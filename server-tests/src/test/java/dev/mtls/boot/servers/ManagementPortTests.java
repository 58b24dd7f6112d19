package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ManagementPortSuite} on every server.
 */
class ManagementPortTests {

	@Nested
	class Tomcat extends ManagementPortSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ManagementPortSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ManagementPortSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
