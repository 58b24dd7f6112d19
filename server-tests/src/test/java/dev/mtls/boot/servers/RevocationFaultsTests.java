package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link RevocationFaultsSuite} on every server, hard-fail and soft-fail.
 */
class RevocationFaultsTests {

	@Nested
	class TomcatHardFail extends RevocationFaultsSuite {

		TomcatHardFail() {
			super(Server.TOMCAT, false);
		}

	}

	@Nested
	class TomcatSoftFail extends RevocationFaultsSuite {

		TomcatSoftFail() {
			super(Server.TOMCAT, true);
		}

	}

	@Nested
	class JettyHardFail extends RevocationFaultsSuite {

		JettyHardFail() {
			super(Server.JETTY, false);
		}

	}

	@Nested
	class JettySoftFail extends RevocationFaultsSuite {

		JettySoftFail() {
			super(Server.JETTY, true);
		}

	}

	@Nested
	class NettyHardFail extends RevocationFaultsSuite {

		NettyHardFail() {
			super(Server.NETTY, false);
		}

	}

	@Nested
	class NettySoftFail extends RevocationFaultsSuite {

		NettySoftFail() {
			super(Server.NETTY, true);
		}

	}

}
