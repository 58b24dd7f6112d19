package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ClientAuthNeedSuite} on every server.
 */
class ClientAuthNeedTests {

	@Nested
	class Tomcat extends ClientAuthNeedSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ClientAuthNeedSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ClientAuthNeedSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
