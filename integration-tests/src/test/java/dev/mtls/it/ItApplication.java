package dev.mtls.it;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * An application on the starter, run in the test JVM where a test needs its beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ItApplication {

}
