package dev.mtls.it;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * A WebFlux application on the starter, run in the test JVM where a test needs its beans:
 * its {@code WebClient.Builder}, and {@link Peer}, an HTTP service client on a
 * {@code WebClient}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ImportHttpServices(group = "peer", types = ReactiveItApplication.Peer.class,
		clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
class ReactiveItApplication {

	/**
	 * An HTTP service client whose base URL the test sets
	 * ({@code spring.http.serviceclient.peer.base-url}).
	 */
	interface Peer {

		@GetExchange("/")
		Mono<String> get();

	}

}
