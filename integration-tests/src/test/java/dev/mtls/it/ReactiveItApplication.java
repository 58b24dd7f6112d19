package dev.mtls.it;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * A WebFlux application on the starter, run in the test JVM where a test needs its beans,
 * such as its {@code WebClient.Builder}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ReactiveItApplication {

}
