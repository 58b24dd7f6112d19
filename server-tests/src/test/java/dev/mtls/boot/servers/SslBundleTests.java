package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link SslBundleSuite} on every server.
 */
class SslBundleTests {

	@Nested
	class Tomcat extends SslBundleSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends SslBundleSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends SslBundleSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
