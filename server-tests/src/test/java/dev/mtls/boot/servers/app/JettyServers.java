package dev.mtls.boot.servers.app;

import org.eclipse.jetty.server.Server;

/**
 * Bare Jetty servers, for tests of the starter's Jetty customizer outside Spring Boot (in
 * a package whose own {@code Server} type does not hide Jetty's).
 */
public final class JettyServers {

	private JettyServers() {
	}

	public static Server newServer() {
		return new Server();
	}

}
