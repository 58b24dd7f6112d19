package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link AttestedCertificatesSuite} on every server.
 */
class AttestedCertificatesTests {

	@Nested
	class Tomcat extends AttestedCertificatesSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends AttestedCertificatesSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends AttestedCertificatesSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
