package dev.mtls.boot.servers;

import org.junit.jupiter.api.Nested;

/**
 * {@link AuthorizationRulesSuite} on every server.
 */
class AuthorizationRulesTests {

	@Nested
	class Tomcat extends AuthorizationRulesSuite {

		Tomcat() {
			super(Server.TOMCAT);
		}

	}

	@Nested
	class Jetty extends AuthorizationRulesSuite {

		Jetty() {
			super(Server.JETTY);
		}

	}

	@Nested
	class Netty extends AuthorizationRulesSuite {

		Netty() {
			super(Server.NETTY);
		}

	}

}
