package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.mtls.boot.dev.DevCertificates;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Logs a ready-to-paste curl command that calls the service in dev mode with the first
 * dev client certificate, on a path the application answers (see
 * {@link ExampleRequestPath}) and the port the server listens on.
 *
 * @since 0.1.0
 */
class DevModeCurlCommandLogger implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log logger = LogFactory.getLog(DevModeCurlCommandLogger.class);

	private final Path directory;

	private final List<String> clients;

	DevModeCurlCommandLogger(Path directory, List<String> clients) {
		this.directory = directory;
		this.clients = clients;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (this.clients.isEmpty() || event.getApplicationContext().getServerNamespace() != null) {
			return;
		}
		String client = DevCertificates.baseName(this.clients.get(0));
		ApplicationContext context = event.getApplicationContext();
		ClassLoader classLoader = (context.getClassLoader() != null) ? context.getClassLoader()
				: DevModeCurlCommandLogger.class.getClassLoader();
		String path = ExampleRequestPath.find(context, classLoader);
		logger.info("mTLS dev mode: try it with%n  curl --cacert %s --cert %s --key %s https://localhost:%d%s"
			.formatted(this.directory.resolve("ca.crt"), this.directory.resolve(client + ".crt"),
					this.directory.resolve(client + ".key"), event.getWebServer().getPort(), path)
				+ "%n(or import %s into a browser, with the dev-mode key store password the README gives)"
					.formatted(this.directory.resolve(client + ".p12")));
	}

}
