package dev.mtls.boot.testsupport;

import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.identity.CertificateIdentity;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@link ForwardedTestApp} on WebFlux.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
public class ReactiveForwardedTestApp {

	@GetMapping({ "/whoami", "/public/**" })
	Mono<String> get(@AuthenticationPrincipal CertificateIdentity caller, ServerWebExchange exchange) {
		return Mono.just(ForwardedTestApp.describe(caller, exchange.getAttribute(ForwardingProxy.ATTRIBUTE),
				exchange.getRequest().getHeaders().containsHeader("ssl-client-cert")));
	}

}
