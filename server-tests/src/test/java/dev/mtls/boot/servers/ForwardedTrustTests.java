package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ForwardedTrustSuite} on every server.
 */
class ForwardedTrustTests {

	@Nested
	class Tomcat extends ForwardedTrustSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ForwardedTrustSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ForwardedTrustSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
