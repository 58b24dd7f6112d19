package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link RenegotiationSuite} on every server, with either engine.
 */
class RenegotiationTests {

	@Nested
	class Tomcat extends RenegotiationSuite {

		Tomcat() {
			super(Server.TOMCAT, "jdk");
		}

	}

	@Nested
	class Jetty extends RenegotiationSuite {

		Jetty() {
			super(Server.JETTY, "jdk");
		}

	}

	@Nested
	class Netty extends RenegotiationSuite {

		Netty() {
			super(Server.NETTY, "jdk");
		}

	}

	@Nested
	class TomcatConscrypt extends RenegotiationSuite {

		TomcatConscrypt() {
			super(Server.TOMCAT, "conscrypt");
		}

	}

	@Nested
	class JettyConscrypt extends RenegotiationSuite {

		JettyConscrypt() {
			super(Server.JETTY, "conscrypt");
		}

	}

	@Nested
	class NettyConscrypt extends RenegotiationSuite {

		NettyConscrypt() {
			super(Server.NETTY, "conscrypt");
		}

	}

}
