package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ReloadStormSuite} on every server.
 */
class ReloadStormTests {

	@Nested
	class Tomcat extends ReloadStormSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ReloadStormSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ReloadStormSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
