package dev.mtls.boot.security.reactive;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactorNettyPeerChain}: only the request Spring builds from Reactor
 * Netty's is read from its connection; any other is left to its {@code SslInfo}. The
 * chain read from a Reactor Netty connection is checked end to end in
 * {@code server-tests} (Netty, HTTP/1.1 and HTTP/2, with and without a certificate,
 * forwarded certificates).
 */
class ReactorNettyPeerChainTests {

	@Test
	void ofWhenNotReactorNettysRequestThenUnknown() {
		ServerHttpRequest request = MockServerHttpRequest.get("/hello").build();

		assertThat(ReactorNettyPeerChain.of(request)).isSameAs(ReactorNettyPeerChain.UNKNOWN);
	}

}
