package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ConscryptEngineSuite} on every server.
 */
class ConscryptEngineTests {

	@Nested
	class Tomcat extends ConscryptEngineSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ConscryptEngineSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ConscryptEngineSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
