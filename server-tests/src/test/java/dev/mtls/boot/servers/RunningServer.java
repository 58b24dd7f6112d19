package dev.mtls.boot.servers;

import dev.mtls.boot.servers.app.ServerTestApp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test application on one {@link Server}, listening on a free port of 127.0.0.1.
 */
final class RunningServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RunningServer(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start the test application on the server and check that this server, not another
	 * one of the class path, runs.
	 * @param server the server
	 * @param properties the application's {@code name=value} properties
	 * @return the running application
	 */
	static RunningServer start(Server server, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ServerTestApp.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(server.properties())
			.properties(properties)
			.run();
		RunningServer running = new RunningServer(context);
		try {
			assertThat(running.webServer()).isInstanceOf(server.webServerType());
		}
		catch (AssertionError ex) {
			context.close();
			throw ex;
		}
		return running;
	}

	WebServer webServer() {
		return ((WebServerApplicationContext) this.context).getWebServer();
	}

	int port() {
		return webServer().getPort();
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
