package dev.mtls.boot.servers;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.WebServer;

/**
 * The embedded servers the starter supports, each chosen as a user would: the web
 * application type, and the other servers' auto-configurations excluded (all three are on
 * this module's class path).
 */
enum Server {

	/**
	 * Spring MVC on Tomcat.
	 */
	TOMCAT(TomcatWebServer.class, "servlet", JettyServletWebServerAutoConfiguration.class,
			JettyServletManagementContextAutoConfiguration.class),

	/**
	 * Spring MVC on Jetty.
	 */
	JETTY(JettyWebServer.class, "servlet", TomcatServletWebServerAutoConfiguration.class,
			TomcatServletManagementContextAutoConfiguration.class),

	/**
	 * Spring WebFlux on Reactor Netty.
	 */
	NETTY(NettyWebServer.class, "reactive", TomcatReactiveWebServerAutoConfiguration.class,
			TomcatReactiveManagementContextAutoConfiguration.class, JettyReactiveWebServerAutoConfiguration.class,
			JettyReactiveManagementContextAutoConfiguration.class),

	/**
	 * Spring WebFlux on Tomcat, which Boot offers too: the request's certificates reach
	 * WebFlux through the servlet request.
	 */
	TOMCAT_WEBFLUX(TomcatWebServer.class, "reactive", NettyReactiveWebServerAutoConfiguration.class,
			NettyReactiveManagementContextAutoConfiguration.class, JettyReactiveWebServerAutoConfiguration.class,
			JettyReactiveManagementContextAutoConfiguration.class),

	/**
	 * Spring WebFlux on Jetty, which Boot offers too.
	 */
	JETTY_WEBFLUX(JettyWebServer.class, "reactive", NettyReactiveWebServerAutoConfiguration.class,
			NettyReactiveManagementContextAutoConfiguration.class, TomcatReactiveWebServerAutoConfiguration.class,
			TomcatReactiveManagementContextAutoConfiguration.class);

	private final Class<? extends WebServer> webServerType;

	private final String webApplicationType;

	private final Class<?>[] excluded;

	Server(Class<? extends WebServer> webServerType, String webApplicationType, Class<?>... excluded) {
		this.webServerType = webServerType;
		this.webApplicationType = webApplicationType;
		this.excluded = excluded;
	}

	/**
	 * Return the type of the web server that must run.
	 * @return the web server type
	 */
	Class<? extends WebServer> webServerType() {
		return this.webServerType;
	}

	/**
	 * Return the properties that choose this server.
	 * @return {@code name=value} pairs
	 */
	String[] properties() {
		return new String[] { "spring.main.web-application-type=" + this.webApplicationType,
				"spring.autoconfigure.exclude="
						+ Arrays.stream(this.excluded).map(Class::getName).collect(Collectors.joining(",")) };
	}

}
