package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link ForwardedCertificatesSuite} on every server.
 */
class ForwardedCertificatesTests {

	@Nested
	class Tomcat extends ForwardedCertificatesSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends ForwardedCertificatesSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends ForwardedCertificatesSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
