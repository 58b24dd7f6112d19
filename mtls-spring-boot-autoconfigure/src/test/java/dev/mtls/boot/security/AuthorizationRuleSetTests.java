package dev.mtls.boot.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AuthorizationRuleSet}, the decision both web stacks share.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class AuthorizationRuleSetTests {

	private final List<String> events = new ArrayList<>();

	private final MtlsListener listener = new MtlsListener() {

		@Override
		public void authorizationDecided(String rule, boolean granted) {
			AuthorizationRuleSetTests.this.events.add(rule + (granted ? " granted" : " denied"));
		}

		@Override
		public void authenticationFailed(AuthenticationFailure failure) {
			AuthorizationRuleSetTests.this.events.add("failed " + failure);
		}

	};

	private AuthorizationRuleSet rules;

	private CertificateAuthentication alice;

	private CertificateAuthentication bob;

	@BeforeEach
	void setUp(TestCertificateAuthority ca) {
		this.rules = new AuthorizationRuleSet(
				List.of(rule("rules[0]", "/public/**", Set.of(), List.of(), true),
						rule("rules[1]", "/orders/**", Set.of(HttpMethod.POST), List.of("cn:alice"), false),
						rule("rules[2]", "/orders/**", Set.of(), List.of("*"), false)),
				DefaultAccess.DENY, this.listener);
		this.alice = authentication(ca, "alice");
		this.bob = authentication(ca, "bob");
	}

	@Test
	void decideWhenSeveralRulesMatchThenFirstDecides() {
		assertThat(this.rules.decide(HttpMethod.POST, path("/orders/1"), this.bob).getRule()).isEqualTo("rules[1]");
		assertThat(this.rules.decide(HttpMethod.POST, path("/orders/1"), this.bob).isGranted()).isFalse();
		assertThat(this.rules.decide(HttpMethod.GET, path("/orders/1"), this.bob).getRule()).isEqualTo("rules[2]");
		assertThat(this.rules.decide(HttpMethod.GET, path("/orders/1"), this.bob).isGranted()).isTrue();
	}

	@Test
	void decideWhenHeadAndRuleForGetThenThatRuleDecides() {
		AuthorizationRuleSet rules = new AuthorizationRuleSet(
				List.of(rule("rules[0]", "/reports/**", Set.of(HttpMethod.GET), List.of("cn:alice"), false),
						rule("rules[1]", "/reports/**", Set.of(HttpMethod.HEAD), List.of("*"), false),
						rule("rules[2]", "/**", Set.of(), List.of("*"), false)),
				DefaultAccess.DENY, this.listener);

		assertThat(rules.decide(HttpMethod.HEAD, path("/reports/1"), this.bob).getRule()).isEqualTo("rules[0]");
		assertThat(rules.decide(HttpMethod.HEAD, path("/reports/1"), this.bob).isGranted()).isFalse();
		assertThat(rules.decide(HttpMethod.HEAD, path("/reports/1"), this.alice).isGranted()).isTrue();
		assertThat(rules.decide(HttpMethod.OPTIONS, path("/reports/1"), this.bob).getRule()).isEqualTo("rules[2]");
	}

	@Test
	void decideWhenNoRuleMatchesThenDefault() {
		IdentityAuthorizationDecision decision = this.rules.decide(HttpMethod.GET, path("/other"), this.alice);

		assertThat(decision.isGranted()).isFalse();
		assertThat(decision.getRule()).isEqualTo("mtls.authorization.default");
	}

	@Test
	void decideWhenPermitAllThenGrantedWithoutAuthentication() {
		assertThat(this.rules.decide(HttpMethod.GET, path("/public/x"), null).isGranted()).isTrue();
	}

	@Test
	void authorizeWhenDecidedThenListenerTold() {
		this.rules.authorize(HttpMethod.POST, path("/orders/1"), this.alice, true);
		this.rules.authorize(HttpMethod.POST, path("/orders/1"), this.bob, true);

		assertThat(this.events).containsExactly("rules[1] granted", "rules[1] denied");
	}

	@Test
	void authorizeWhenNoCertificatePresentedThenCountedAsNoCertificate() {
		this.rules.authorize(HttpMethod.GET, path("/orders/1"), null, false);

		assertThat(this.events).containsExactly("rules[2] denied", "failed NO_CERTIFICATE");
	}

	@Test
	void authorizeWhenCertificateRefusedByAuthenticationThenNotCountedAgain() {
		this.rules.authorize(HttpMethod.GET, path("/orders/1"), null, true);

		assertThat(this.events).containsExactly("rules[2] denied");
	}

	@Test
	void authorizeWhenDeniedTwiceThenLoggedOnce(CapturedOutput output) {
		this.rules.authorize(HttpMethod.POST, path("/orders/ruleset"), this.bob, true);
		this.rules.authorize(HttpMethod.POST, path("/orders/ruleset"), this.bob, true);

		assertThat(output.toString().lines().filter((line) -> line.contains("Denied POST /orders/ruleset")))
			.singleElement()
			.asString()
			.contains("rules[1]");
	}

	private static AuthorizationRuleSet.Rule rule(String name, String path, Set<HttpMethod> methods, List<String> allow,
			boolean permitAll) {
		return new AuthorizationRuleSet.Rule(name, List.of(PathPatternParser.defaultInstance.parse(path)), methods,
				allow.stream().map(IdentityPattern::parse).toList(), permitAll);
	}

	private static CertificateAuthentication authentication(TestCertificateAuthority ca, String commonName) {
		return new CertificateAuthentication(CertificateIdentity.of(ca.client(commonName).getCertificate()), List.of());
	}

	private static PathContainer path(String path) {
		return PathContainer.parsePath(path);
	}

}
