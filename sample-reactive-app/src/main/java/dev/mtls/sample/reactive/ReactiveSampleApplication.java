package dev.mtls.sample.reactive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A WebFlux service on Reactor Netty secured by mtls-spring-boot-starter: it answers
 * callers with their certificate identity and calls another mTLS service with its own.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReactiveSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReactiveSampleApplication.class, args);
	}

}
