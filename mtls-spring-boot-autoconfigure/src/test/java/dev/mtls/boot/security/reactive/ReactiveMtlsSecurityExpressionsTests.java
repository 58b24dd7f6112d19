package dev.mtls.boot.security.reactive;

import java.util.List;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveMtlsSecurityExpressions}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class ReactiveMtlsSecurityExpressionsTests {

	private final ReactiveMtlsSecurityExpressions expressions = new ReactiveMtlsSecurityExpressions();

	@Test
	void allowsWhenCallerInReactorContextMatchesThenTrue(TestCertificateAuthority ca) {
		CertificateAuthentication alice = new CertificateAuthentication(
				CertificateIdentity.of(ca.client("alice").getCertificate()), List.of());

		assertThat(this.expressions.allows("cn:alice")
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(alice))
			.block()).isTrue();
		assertThat(this.expressions.allows("cn:bob")
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(alice))
			.block()).isFalse();
	}

	@Test
	void allowsWhenNoCallerThenFalse() {
		assertThat(this.expressions.allows("*").block()).isFalse();
	}

}
