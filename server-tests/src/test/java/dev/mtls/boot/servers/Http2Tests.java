package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link Http2Suite} on every server.
 */
class Http2Tests {

	@Nested
	class Tomcat extends Http2Suite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends Http2Suite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends Http2Suite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
