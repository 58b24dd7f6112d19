package dev.mtls.boot.security.reactive;

import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CertificateReactiveAuthenticationManager}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class CertificateReactiveAuthenticationManagerTests {

	private final CertificateReactiveAuthenticationManager manager = new CertificateReactiveAuthenticationManager(
			new CertificateAuthenticator());

	@Test
	void authenticateWhenChainThenCertificateAuthentication(TestCertificateAuthority ca) {
		TestCertificate alice = ca.client("alice");

		Authentication authentication = this.manager
			.authenticate(token(alice.getChain().toArray(X509Certificate[]::new)))
			.block();

		assertThat(authentication).isInstanceOfSatisfying(CertificateAuthentication.class,
				(certificate) -> assertThat(certificate.getName()).isEqualTo("alice"));
	}

	@Test
	void authenticateWhenCertificateNamesNoPrincipalThenError(TestCertificateAuthority ca) {
		TestCertificate nameless = ca.client((spec) -> spec.subject("O=Acme"));
		Mono<Authentication> authentication = this.manager
			.authenticate(token(nameless.getChain().toArray(X509Certificate[]::new)));

		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(authentication::block);
	}

	@Test
	void authenticateWhenNotACertificateChainThenEmpty() {
		assertThat(this.manager.authenticate(new UsernamePasswordAuthenticationToken("alice", "secret")).block())
			.isNull();
		assertThat(this.manager.authenticate(token(new X509Certificate[0])).block()).isNull();
	}

	@Test
	void filterWhenManagerIsStartersThenAuthenticatesAndWhenSubclassThenSubclassDecides(TestCertificateAuthority ca) {
		X509Certificate[] chain = ca.client("alice").getChain().toArray(X509Certificate[]::new);
		AtomicInteger subclassCalls = new AtomicInteger();
		CertificateReactiveAuthenticationManager subclass = new CertificateReactiveAuthenticationManager(
				new CertificateAuthenticator()) {

			@Override
			public Mono<Authentication> authenticate(Authentication authentication) {
				subclassCalls.incrementAndGet();
				return Mono.empty();
			}

		};

		assertThat(authenticatedName(this.manager, chain)).isEqualTo("alice");
		assertThat(authenticatedName(subclass, chain)).isNull();
		assertThat(subclassCalls).hasValue(1);
	}

	private static @Nullable String authenticatedName(CertificateReactiveAuthenticationManager manager,
			X509Certificate[] chain) {
		SslInfo sslInfo = new SslInfo() {

			@Override
			public String getSessionId() {
				return "1";
			}

			@Override
			public X509Certificate[] getPeerCertificates() {
				return chain;
			}

		};
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/whoami").sslInfo(sslInfo));
		AtomicReference<@Nullable String> name = new AtomicReference<>();
		new CertificateAuthenticationWebFilter(manager, null)
			.filter(exchange,
					(filtered) -> ReactiveSecurityContextHolder.getContext()
						.doOnNext((context) -> name.set(context.getAuthentication().getName()))
						.then())
			.block();
		return name.get();
	}

	private static Authentication token(X509Certificate[] chain) {
		return new PreAuthenticatedAuthenticationToken("presented", chain);
	}

}
