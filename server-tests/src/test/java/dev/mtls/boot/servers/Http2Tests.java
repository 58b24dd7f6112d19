package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link Http2Suite} on every server, and WebFlux on Tomcat and on Jetty.
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

	@Nested
	class TomcatWebFlux extends Http2Suite {

		TomcatWebFlux() {
			super(Server.TOMCAT_WEBFLUX);
		}

	}

	@Nested
	class JettyWebFlux extends Http2Suite {

		JettyWebFlux() {
			super(Server.JETTY_WEBFLUX);
		}

	}

}
