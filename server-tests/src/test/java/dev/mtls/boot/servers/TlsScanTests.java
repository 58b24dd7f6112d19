package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link TlsScanSuite} on every server.
 */
class TlsScanTests {

	@Nested
	class Tomcat extends TlsScanSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends TlsScanSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends TlsScanSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
