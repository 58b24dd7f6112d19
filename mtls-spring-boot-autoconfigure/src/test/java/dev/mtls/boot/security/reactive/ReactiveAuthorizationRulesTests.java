package dev.mtls.boot.security.reactive;

import dev.mtls.boot.security.IdentityAuthorizationDecision;
import dev.mtls.boot.test.AutoConfigureTestCertificates;
import dev.mtls.boot.test.MtlsWebTestClient;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificates;
import dev.mtls.boot.testsupport.ReactiveRulesTestApp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule semantics of {@link ReactiveAuthorizationRules} in a WebFlux application, as
 * configured in properties, through a WebTestClient bound to the application context that
 * presents certificates as the request's {@code SslInfo}: the same answers, denial log,
 * events and metrics as {@code AuthorizationRulesTests} on a servlet stack.
 */
@SpringBootTest(classes = ReactiveRulesTestApp.class, properties = { "spring.main.web-application-type=reactive",
		"mtls.authorization.rules[0].paths=/public/**", "mtls.authorization.rules[0].permit-all=true",
		"mtls.authorization.rules[1].paths=/admin/**", "mtls.authorization.rules[1].allow=CN=alice,OU=ops,O=Acme",
		"mtls.authorization.rules[2].paths=/orders/**", "mtls.authorization.rules[2].methods=POST",
		"mtls.authorization.rules[2].allow=spiffe://acme.org/ns/shop/sa/*",
		"mtls.authorization.rules[3].paths=/orders/**,/whoami,/spel/**", "mtls.authorization.rules[3].allow=*",
		"mtls.authorization.rules[4].paths=/reports/**", "mtls.authorization.rules[4].allow=authority:ROLE_AUDITOR",
		"mtls.principal.authorities[0].identity=cn:auditor-*",
		"mtls.principal.authorities[0].grant=ROLE_AUDITOR,ROLE_READER", "mtls.authorization.default=deny" })
@AutoConfigureTestCertificates
@ExtendWith(OutputCaptureExtension.class)
class ReactiveAuthorizationRulesTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	TestCertificates certificates;

	WebTestClient client;

	TestCertificate alice;

	TestCertificate bob;

	TestCertificate checkout;

	TestCertificate auditor;

	@BeforeEach
	void setUp() {
		this.client = WebTestClient.bindToApplicationContext(this.context).build();
		this.alice = this.certificates.client((spec) -> spec.subject("CN=alice,OU=ops,O=Acme"));
		this.bob = this.certificates.client((spec) -> spec.subject("CN=bob,O=Acme"));
		this.checkout = this.certificates
			.client((spec) -> spec.commonName("checkout").spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
		this.auditor = this.certificates.client((spec) -> spec.commonName("auditor-1"));
	}

	private WebTestClient.ResponseSpec request(TestCertificate certificate, HttpMethod method, String path) {
		return this.client.mutateWith(MtlsWebTestClient.certificate(certificate)).method(method).uri(path).exchange();
	}

	private int status(TestCertificate certificate, HttpMethod method, String path) {
		return request(certificate, method, path).returnResult(String.class).getStatus().value();
	}

	@Test
	void requestWhenFullDnRuleThenOnlyThatSubjectAllowed() {
		request(this.alice, HttpMethod.GET, "/admin/users").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice");
		assertThat(status(this.bob, HttpMethod.GET, "/admin/users")).isEqualTo(403);
	}

	@Test
	void requestWhenMethodRuleMatchesThenItDecidesBeforeLaterRules() {
		request(this.checkout, HttpMethod.POST, "/orders/42").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("created by checkout");
		assertThat(status(this.bob, HttpMethod.POST, "/orders/42")).isEqualTo(403);
		assertThat(status(this.bob, HttpMethod.GET, "/orders/42")).isEqualTo(200);
	}

	@Test
	void requestWhenAuthorityGrantedByPatternThenAuthorityRuleAllows() {
		assertThat(status(this.auditor, HttpMethod.GET, "/reports/q3")).isEqualTo(200);
		assertThat(status(this.bob, HttpMethod.GET, "/reports/q3")).isEqualTo(403);
	}

	@Test
	void requestWhenNoRuleMatchesThenDefaultDenies() {
		assertThat(status(this.alice, HttpMethod.GET, "/other/thing")).isEqualTo(403);
	}

	@Test
	void requestWhenPermitAllThenServedWithOrWithoutCertificate() {
		request(this.bob, HttpMethod.GET, "/public/docs").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("bob");
		this.client.get()
			.uri("/public/docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("anonymous");
	}

	@Test
	void requestWhenNoCertificateThenUnauthorizedWithoutBasicChallengeAndCounted() {
		double before = count("mtls.authentication", "outcome", "failure", "reason", "no-certificate");

		this.client.get()
			.uri("/whoami")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.doesNotExist(HttpHeaders.WWW_AUTHENTICATE);

		assertThat(count("mtls.authentication", "outcome", "failure", "reason", "no-certificate"))
			.isEqualTo(before + 1);
	}

	@Test
	void requestWhenSpelAllowsThenReactiveMethodSecurityUsesPattern() {
		request(this.alice, HttpMethod.GET, "/spel/alice").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice only");
		assertThat(status(this.bob, HttpMethod.GET, "/spel/alice")).isEqualTo(403);
		assertThat(status(this.auditor, HttpMethod.GET, "/spel/auditor")).isEqualTo(200);
		assertThat(status(this.alice, HttpMethod.GET, "/spel/auditor")).isEqualTo(403);
	}

	@Test
	void requestWhenDeniedThenLoggedOnceCountedAndEventPublished(CapturedOutput output) {
		TestCertificate denied = this.certificates.client((spec) -> spec.subject("CN=mallory,O=Acme"));
		double before = count("mtls.authorization", "decision", "denied", "rule", "mtls.authorization.rules[1]");

		assertThat(status(denied, HttpMethod.GET, "/admin/secrets")).isEqualTo(403);
		assertThat(status(denied, HttpMethod.GET, "/admin/secrets")).isEqualTo(403);

		assertThat(output.toString().lines().filter((line) -> line.contains("Denied GET /admin/secrets")))
			.singleElement()
			.asString()
			.contains("'CN=mallory,O=Acme'")
			.contains("mtls.authorization.rules[1]")
			.contains("no allow pattern matches [CN=alice,OU=ops,O=Acme]");
		assertThat(count("mtls.authorization", "decision", "denied", "rule", "mtls.authorization.rules[1]"))
			.isEqualTo(before + 2);
		assertThat(this.context.getBean(ReactiveRulesTestApp.Events.class).denied())
			.anySatisfy((event) -> assertThat(event.getAuthorizationResult()).isInstanceOfSatisfying(
					IdentityAuthorizationDecision.class,
					(decision) -> assertThat(decision.getRule()).isEqualTo("mtls.authorization.rules[1]")));
	}

	@Test
	void requestWhenPostWithoutCsrfTokenThenAllowedAndNoSession() {
		request(this.checkout, HttpMethod.POST, "/orders/7").expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE);
	}

	@Test
	void requestWhenLogoutPathThenRulesApplyNotLogoutFilter() {
		assertThat(status(this.alice, HttpMethod.POST, "/logout")).isEqualTo(403);
	}

	private double count(String name, String... tags) {
		Counter counter = this.context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
