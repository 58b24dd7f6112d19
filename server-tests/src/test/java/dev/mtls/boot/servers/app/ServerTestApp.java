package dev.mtls.boot.servers.app;

import dev.mtls.boot.identity.CertificateIdentity;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
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

	@GetMapping({ "/whoami", "/admin/**", "/orders/**", "/reports/**", "/public/**", "/other/**" })
	String get(@AuthenticationPrincipal @Nullable CertificateIdentity caller) {
		return name(caller);
	}

	@PostMapping("/orders/**")
	String post(@AuthenticationPrincipal @Nullable CertificateIdentity caller) {
		return "created by " + name(caller);
	}

	private static String name(@Nullable CertificateIdentity caller) {
		return (caller != null) ? caller.getName() : "anonymous";
	}

}
