package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ClientAuthNoneSuite} on every server.
 */
class ClientAuthNoneTests {

	@Nested
	class Tomcat extends ClientAuthNoneSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ClientAuthNoneSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ClientAuthNoneSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
