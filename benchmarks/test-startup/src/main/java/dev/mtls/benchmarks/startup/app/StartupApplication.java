package dev.mtls.benchmarks.startup.app;

import java.security.Principal;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The small service whose test context the start-up benchmarks start: Spring MVC, Spring
 * Security and the starter, one controller, in a package of its own so that component
 * scanning sees nothing else.
 */
@SpringBootApplication
@RestController
public class StartupApplication {

	@GetMapping("/hello")
	String hello(Principal principal) {
		return "hello " + principal.getName();
	}

}
