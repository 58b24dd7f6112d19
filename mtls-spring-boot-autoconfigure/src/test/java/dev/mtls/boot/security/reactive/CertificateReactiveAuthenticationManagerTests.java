package dev.mtls.boot.security.reactive;

import java.security.cert.X509Certificate;

import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
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

	private static Authentication token(X509Certificate[] chain) {
		return new PreAuthenticatedAuthenticationToken("presented", chain);
	}

}
