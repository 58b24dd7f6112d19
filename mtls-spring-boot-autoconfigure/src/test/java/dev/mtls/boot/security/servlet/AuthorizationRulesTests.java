package dev.mtls.boot.security.servlet;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.DefaultAccess;
import dev.mtls.boot.security.IdentityAuthorizationDecision;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.test.TestCertificateSpec;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule semantics of {@link AuthorizationRules}, through real TLS, as configured in
 * properties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class AuthorizationRulesTests {

	TestCertificateAuthority ca;

	TestService service;

	SSLContext alice;

	SSLContext bob;

	SSLContext checkout;

	SSLContext auditor;

	@BeforeAll
	void start(TestCertificateAuthority ca) {
		this.ca = ca;
		this.alice = client((spec) -> spec.subject("CN=alice,OU=ops,O=Acme"));
		this.bob = client((spec) -> spec.subject("CN=bob,O=Acme"));
		this.checkout = client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
		this.auditor = client((spec) -> spec.commonName("auditor-1"));
		this.service = TestService.start(RulesTestApp.class,
				ca.writeServiceProperties("mtls.authorization.rules[0].paths=/public/**",
						"mtls.authorization.rules[0].permit-all=true", "mtls.authorization.rules[1].paths=/admin/**",
						"mtls.authorization.rules[1].allow=CN=alice,OU=ops,O=Acme",
						"mtls.authorization.rules[2].paths=/orders/**", "mtls.authorization.rules[2].methods=POST",
						"mtls.authorization.rules[2].allow=spiffe://acme.org/ns/shop/sa/*",
						"mtls.authorization.rules[3].paths=/orders/**,/whoami,/spel/**",
						"mtls.authorization.rules[3].allow=*", "mtls.authorization.rules[4].paths=/reports/**",
						"mtls.authorization.rules[4].allow=authority:ROLE_AUDITOR",
						"mtls.principal.authorities[0].identity=cn:auditor-*",
						"mtls.principal.authorities[0].grant=ROLE_AUDITOR,ROLE_READER",
						"mtls.authorization.default=deny"));
	}

	private SSLContext client(Consumer<TestCertificateSpec> spec) {
		return this.ca.client(spec).sslBundle().createSslContext();
	}

	@AfterAll
	void stop() {
		this.service.close();
	}

	private int status(SSLContext client, String method, String path) throws IOException {
		return TlsProbe.status(client, this.service.port(), method, path);
	}

	@Test
	void authorizeWhenChainHasNoAnonymousAuthenticationThenPermitAllStillGrantsAndOthersDeny() {
		AuthorizationRules rules = new AuthorizationRules(new AuthorizationRuleSet(
				List.of(new AuthorizationRuleSet.Rule("rules[0]",
						List.of(PathPatternParser.defaultInstance.parse("/public/**")), Set.of(), List.of(), true)),
				DefaultAccess.AUTHENTICATED, MtlsListener.NONE));
		Supplier<Authentication> none = () -> {
			throw new AuthenticationCredentialsNotFoundException("An Authentication object was not found");
		};

		assertThat(rules.authorize(none, context("/public/x")).isGranted()).isTrue();
		assertThat(rules.authorize(none, context("/private/x")).isGranted()).isFalse();
	}

	private static RequestAuthorizationContext context(String path) {
		return new RequestAuthorizationContext(new MockHttpServletRequest("GET", path));
	}

	@Test
	void requestWhenFullDnRuleThenOnlyThatSubjectAllowed() throws IOException {
		assertThat(status(this.alice, "GET", "/admin/users")).isEqualTo(200);
		assertThat(status(this.bob, "GET", "/admin/users")).isEqualTo(403);
	}

	@Test
	void requestWhenMethodRuleMatchesThenItDecidesBeforeLaterRules() throws IOException {
		assertThat(status(this.checkout, "POST", "/orders/42")).isEqualTo(200);
		assertThat(status(this.bob, "POST", "/orders/42")).isEqualTo(403);
		assertThat(status(this.bob, "GET", "/orders/42")).isEqualTo(200);
	}

	@Test
	void requestWhenAuthorityGrantedByPatternThenAuthorityRuleAllows() throws IOException {
		assertThat(status(this.auditor, "GET", "/reports/q3")).isEqualTo(200);
		assertThat(status(this.bob, "GET", "/reports/q3")).isEqualTo(403);
	}

	@Test
	void requestWhenNoRuleMatchesThenDefaultDenies() throws IOException {
		assertThat(status(this.alice, "GET", "/other/thing")).isEqualTo(403);
	}

	@Test
	void requestWhenPermitAllThenAnyCertificateAllowed() throws IOException {
		assertThat(status(this.bob, "GET", "/public/docs")).isEqualTo(200);
	}

	@Test
	void requestWhenSpelAllowsThenMethodSecurityUsesPattern() throws IOException {
		assertThat(status(this.alice, "GET", "/spel/alice")).isEqualTo(200);
		assertThat(status(this.bob, "GET", "/spel/alice")).isEqualTo(403);
		assertThat(status(this.auditor, "GET", "/spel/auditor")).isEqualTo(200);
		assertThat(status(this.alice, "GET", "/spel/auditor")).isEqualTo(403);
	}

	@Test
	void requestWhenDeniedThenNoStackTraceLoggedOnceAndEventPublished(CapturedOutput output) throws IOException {
		String response = TlsProbe.request(this.bob, this.service.port(), "GET", "/admin/secrets", (socket) -> {
		});
		TlsProbe.status(this.bob, this.service.port(), "GET", "/admin/secrets");

		assertThat(response).startsWith("HTTP/1.1 403").doesNotContain("Exception").doesNotContain("trace");
		assertThat(output.toString().lines().filter((line) -> line.contains("Denied GET /admin/secrets")))
			.singleElement()
			.asString()
			.contains("'CN=bob,O=Acme'")
			.contains("mtls.authorization.rules[1]")
			.contains("no allow pattern matches [CN=alice,OU=ops,O=Acme]");
		assertThat(this.service.context().getBean(RulesTestApp.DeniedEvents.class).events())
			.anySatisfy((event) -> assertThat(event.getAuthorizationResult()).isInstanceOfSatisfying(
					IdentityAuthorizationDecision.class,
					(decision) -> assertThat(decision.getRule()).isEqualTo("mtls.authorization.rules[1]")));
	}

	@Test
	void requestWhenPostWithoutCsrfTokenThenAllowedAndNoSession() throws IOException {
		String response = TlsProbe.request(this.checkout, this.service.port(), "POST", "/orders/7", (socket) -> {
		});

		assertThat(response).startsWith("HTTP/1.1 200")
			.endsWith("created by checkout")
			.doesNotContainIgnoringCase("Set-Cookie");
	}

	@Test
	void requestWhenLogoutPathThenRulesApplyNotLogoutFilter() throws IOException {
		assertThat(status(this.alice, "POST", "/logout")).isEqualTo(403);
	}

}
