package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link TlsSettingsSuite} on every server.
 */
class TlsSettingsTests {

	@Nested
	class Tomcat extends TlsSettingsSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends TlsSettingsSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends TlsSettingsSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
