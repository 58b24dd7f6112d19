package dev.mtls.boot.security.reactive;

import java.util.List;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.security.IdentityAuthorizationDecision;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveIdentityAuthorizationManager}.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class ReactiveIdentityAuthorizationManagerTests {

	private final ReactiveIdentityAuthorizationManager<Object> manager = ReactiveIdentityAuthorizationManager
		.allow("cn:ops-*", "authority:ROLE_ADMIN");

	@Test
	void authorizeWhenCertificateMatchesThenGranted(TestCertificateAuthority ca) {
		assertThat(authorize(Mono.just(certificate(ca, "ops-console"))).isGranted()).isTrue();
	}

	@Test
	void authorizeWhenCertificateMatchesNoPatternThenDeniedSayingWhy(TestCertificateAuthority ca) {
		AuthorizationResult result = authorize(Mono.just(certificate(ca, "bob")));

		assertThat(result.isGranted()).isFalse();
		assertThat(result).isInstanceOfSatisfying(IdentityAuthorizationDecision.class,
				(decision) -> assertThat(decision.getReason()).startsWith("no allow pattern matches"));
	}

	@Test
	void authorizeWhenNoAuthenticationThenDenied() {
		assertThat(authorize(Mono.empty()).isGranted()).isFalse();
	}

	@Test
	void authorizeWhenOtherAuthenticationThenDenied() {
		assertThat(authorize(Mono.just(new TestingAuthenticationToken("ops-console", "x", "ROLE_ADMIN"))).isGranted())
			.isFalse();
	}

	private AuthorizationResult authorize(Mono<Authentication> authentication) {
		return this.manager.authorize(authentication, new Object()).block();
	}

	private static Authentication certificate(TestCertificateAuthority ca, String commonName) {
		return new CertificateAuthentication(CertificateIdentity.of(ca.client(commonName).getCertificate()), List.of());
	}

}
