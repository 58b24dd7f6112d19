package dev.mtls.boot.autoconfigure.security;

import java.io.IOException;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.autoconfigure.security.servlet.MtlsSecurityAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.identity.InvalidIdentityPatternException;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.RulesTestApp;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsSecurityPropertiesMapper}: binding and start-up failures of
 * {@code mtls.principal} and {@code mtls.authorization}, and want-mode semantics.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsSecurityPropertiesMapperTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MtlsSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	@Test
	void bindingWhenScalarDnThenOnePattern() {
		this.contextRunner
			.withPropertyValues("mtls.authorization.rules[0].paths=/admin/**,/ops/**",
					"mtls.authorization.rules[0].allow=CN=ops-console,OU=platform,O=Acme")
			.run((context) -> {
				MtlsAuthorizationProperties.Rule rule = context.getBean(MtlsProperties.class)
					.getAuthorization()
					.getRules()
					.get(0);
				AuthorizationRuleSet rules = context.getBean(AuthorizationRuleSet.class);

				assertThat(rule.getAllow()).containsExactly("CN=ops-console,OU=platform,O=Acme");
				assertThat(rule.getPaths()).containsExactly("/admin/**", "/ops/**");
				assertThat(rules.getRules().get(0).allow()).hasSize(1);
			});
	}

	@Test
	void startupWhenAllowPatternBrokenThenFailureNamesIndexedProperty() {
		this.contextRunner
			.withPropertyValues("mtls.authorization.rules[0].paths=/a", "mtls.authorization.rules[0].allow=*",
					"mtls.authorization.rules[1].paths=/b", "mtls.authorization.rules[1].allow=*",
					"mtls.authorization.rules[2].paths=/c", "mtls.authorization.rules[2].allow[0]=dns:*.com",
					"mtls.authorization.rules[2].allow[1]=*")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidIdentityPatternException.class, (ex) -> {
				})
				.satisfies((ex) -> assertThat(failure(context.getStartupFailure()).getMessage()).isEqualTo(
						"Invalid mTLS configuration 'mtls.authorization.rules[2].allow[0]' = 'dns:*.com': not an "
								+ "identity pattern: a wildcard needs at least two labels after it, as in '*.example.com'")));
	}

	@Test
	void startupWhenAuthorityGrantPatternBrokenThenFailureNamesProperty() {
		this.contextRunner
			.withPropertyValues("mtls.principal.authorities[0].identity=spiffe://Acme.org/x",
					"mtls.principal.authorities[0].grant=ROLE_X")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getProperty())
				.isEqualTo("mtls.principal.authorities[0].identity"));
	}

	@Test
	void startupWhenAuthorityGrantUsesAuthorityPatternThenFailure() {
		this.contextRunner
			.withPropertyValues("mtls.principal.authorities[0].identity=authority:ROLE_A",
					"mtls.principal.authorities[0].grant=ROLE_B")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getProblem())
				.isEqualTo("an 'authority:' pattern cannot decide which authorities to grant"));
	}

	@Test
	void startupWhenRuleHasNeitherAllowNorPermitAllThenFailure() {
		this.contextRunner.withPropertyValues("mtls.authorization.rules[0].paths=/a")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getProblem())
				.isEqualTo("the rule has neither 'allow' nor 'permit-all: true'"));
	}

	@Test
	void startupWhenMethodUnknownThenFailure() {
		this.contextRunner
			.withPropertyValues("mtls.authorization.rules[0].paths=/a", "mtls.authorization.rules[0].allow=*",
					"mtls.authorization.rules[0].methods=GET,FETCH")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getProperty())
				.isEqualTo("mtls.authorization.rules[0].methods[1]"));
	}

	@Test
	void startupWhenPathPatternBrokenThenFailure() {
		this.contextRunner
			.withPropertyValues("mtls.authorization.rules[0].paths=/a/**/b", "mtls.authorization.rules[0].allow=*")
			.run((context) -> assertThat(failure(context.getStartupFailure()).getProperty())
				.isEqualTo("mtls.authorization.rules[0].paths[0]"));
	}

	@Test
	void startupWhenPathWithoutLeadingSlashThenFailure() {
		this.contextRunner
			.withPropertyValues("mtls.authorization.rules[0].paths=/orders/**, admin/**",
					"mtls.authorization.rules[0].allow=cn:alice")
			.run((context) -> {
				MtlsConfigurationException failure = failure(context.getStartupFailure());
				assertThat(failure.getProperty()).isEqualTo("mtls.authorization.rules[0].paths[1]");
				assertThat(failure.getProblem())
					.isEqualTo("a path pattern must start with '/', or it matches no request");
				assertThat(failure.getAction()).isEqualTo("Write /admin/**.");
			});
	}

	@Test
	void requestWhenWantAndNoCertificateThenPermitAllServedAndOthers401(TestCertificateAuthority ca)
			throws IOException {
		try (TestService service = TestService.start(RulesTestApp.class,
				ca.writeServiceProperties("mtls.server.client-auth=want",
						"mtls.authorization.rules[0].paths=/public/**", "mtls.authorization.rules[0].permit-all=true",
						"mtls.authorization.rules[1].paths=/admin/**",
						"mtls.authorization.rules[1].allow=cn:nobody"))) {
			SSLContext anonymous = ca.trustOnlySslBundle().createSslContext();
			SSLContext alice = ca.client("alice").sslBundle().createSslContext();

			assertThat(TlsProbe.get(anonymous, service.port(), "/public/x")).startsWith("HTTP/1.1 200")
				.endsWith("anonymous");
			assertThat(TlsProbe.status(anonymous, service.port(), "GET", "/admin/x")).isEqualTo(401);
			assertThat(TlsProbe.status(alice, service.port(), "GET", "/admin/x")).isEqualTo(403);
			assertThat(TlsProbe.status(anonymous, service.port(), "GET", "/other")).isEqualTo(401);
			assertThat(TlsProbe.status(alice, service.port(), "GET", "/other/x")).isEqualTo(200);
		}
	}

	@Test
	void requestWhenDefaultPermitThenUnmatchedServedWithoutCertificate(TestCertificateAuthority ca) throws IOException {
		try (TestService service = TestService.start(RulesTestApp.class,
				ca.writeServiceProperties("mtls.server.client-auth=want", "mtls.authorization.default=permit"))) {
			assertThat(TlsProbe.status(ca.trustOnlySslBundle().createSslContext(), service.port(), "GET", "/other/x"))
				.isEqualTo(200);
		}
	}

	private static MtlsConfigurationException failure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof MtlsConfigurationException ex) {
				return ex;
			}
		}
		throw new AssertionError("No MtlsConfigurationException in " + failure);
	}

}
