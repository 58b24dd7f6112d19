package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ForwardedManagementPortSuite} on every server.
 */
class ForwardedManagementPortTests {

	@Nested
	class Tomcat extends ForwardedManagementPortSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ForwardedManagementPortSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ForwardedManagementPortSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
