package dev.mtls.boot.servers.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mtls.boot.identity.CertificateIdentity;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application every server runs: annotated endpoints, served by Spring MVC on Tomcat
 * and Jetty and by WebFlux on Netty, each answering with the caller's principal name, or
 * "anonymous".
 */
@SpringBootApplication
@RestController
public class ServerTestApp {

	/**
	 * The body of {@code /bytes}: one array for every request, so that slow readers cost
	 * the server their connections and not a copy each.
	 */
	private static final byte[] FOUR_MEGABYTES = new byte[4 * 1024 * 1024];

	@GetMapping({ "/whoami", "/admin/**", "/orders/**", "/reports/**", "/public/**", "/other/**" })
	String get(@AuthenticationPrincipal @Nullable CertificateIdentity caller) {
		return name(caller);
	}

	@PostMapping("/orders/**")
	String post(@AuthenticationPrincipal @Nullable CertificateIdentity caller) {
		return "created by " + name(caller);
	}

	@GetMapping("/bytes")
	byte[] bytes() {
		return FOUR_MEGABYTES;
	}

	private static String name(@Nullable CertificateIdentity caller) {
		return (caller != null) ? caller.getName() : "anonymous";
	}

	@Bean
	WebServers webServers() {
		return new WebServers();
	}

	/**
	 * The web servers the application started, by server namespace: the main one
	 * ({@code null}) and the management server ({@code management}), whose child context
	 * publishes its event to this one too.
	 */
	public static class WebServers implements ApplicationListener<WebServerInitializedEvent> {

		private final Map<String, WebServer> servers = new ConcurrentHashMap<>();

		private final Map<String, WebServerApplicationContext> contexts = new ConcurrentHashMap<>();

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			String namespace = event.getApplicationContext().getServerNamespace();
			this.servers.put((namespace != null) ? namespace : "", event.getWebServer());
			this.contexts.put((namespace != null) ? namespace : "", event.getApplicationContext());
		}

		/**
		 * Return the management server's (child) context.
		 * @return the context, or {@code null} if no management server was started
		 */
		public @Nullable WebServerApplicationContext managementContext() {
			return this.contexts.get("management");
		}

		/**
		 * Return the management server.
		 * @return the server, or {@code null} if none was started
		 */
		public @Nullable WebServer management() {
			return this.servers.get("management");
		}

	}

}
