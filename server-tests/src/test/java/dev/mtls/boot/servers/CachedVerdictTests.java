package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link CachedVerdictSuite} on every server.
 */
class CachedVerdictTests {

	@Nested
	class Tomcat extends CachedVerdictSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends CachedVerdictSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends CachedVerdictSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
