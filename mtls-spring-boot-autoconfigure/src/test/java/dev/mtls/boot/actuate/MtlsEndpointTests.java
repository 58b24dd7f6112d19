package dev.mtls.boot.actuate;

import java.security.Principal;
import java.util.List;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.actuate.MtlsActuatorAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MtlsEndpoint}: who sees the rules and peers.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsEndpointTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class,
				MtlsActuatorAutoConfiguration.class))
		.withPropertyValues("mtls.reload.enabled=false", "management.endpoints.web.exposure.include=mtls",
				"mtls.authorization.rules[0].paths=/admin/**", "mtls.authorization.rules[0].allow=cn:ops");

	TestCertificateAuthority ca;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
	}

	@Test
	void mtlsWhenNoRolesSetThenNobodySeesDetails() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties()).run((context) -> {
			MtlsEndpoint endpoint = context.getBean(MtlsEndpoint.class);

			assertThat(endpoint.mtls(caller("ops"))).containsKeys("identity", "trustAnchors", "server", "reload")
				.doesNotContainKeys("authorization", "peers");
			assertThat(endpoint.mtls(SecurityContext.NONE)).doesNotContainKeys("authorization", "peers");
		});
	}

	@Test
	void mtlsWhenCallerMatchesRoleThenDetailsShown() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.management.roles=cn:ops"))
			.run((context) -> {
				MtlsEndpoint endpoint = context.getBean(MtlsEndpoint.class);

				assertThat(endpoint.mtls(caller("ops"))).containsKeys("authorization", "peers");
				assertThat(endpoint.mtls(caller("bob"))).doesNotContainKeys("authorization", "peers");
				assertThat(endpoint.mtls(SecurityContext.NONE)).doesNotContainKeys("authorization", "peers");
			});
	}

	@Test
	void mtlsWhenRoleIsAuthorityPatternThenGrantedAuthorityCounts() {
		this.contextRunner
			.withPropertyValues(this.ca.writeServiceProperties("mtls.management.roles=authority:ROLE_OPS"))
			.run((context) -> {
				MtlsEndpoint endpoint = context.getBean(MtlsEndpoint.class);

				assertThat(endpoint.mtls(caller("carol", "ROLE_OPS"))).containsKeys("authorization", "peers");
				assertThat(endpoint.mtls(caller("carol"))).doesNotContainKeys("authorization", "peers");
			});
	}

	@Test
	void mtlsWhenShowDetailsAlwaysOrNeverThenRolesIgnored() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.management.show-details=always"))
			.run((context) -> assertThat(context.getBean(MtlsEndpoint.class).mtls(SecurityContext.NONE))
				.containsKeys("authorization", "peers"));
		this.contextRunner
			.withPropertyValues(this.ca.writeServiceProperties("mtls.management.show-details=never",
					"mtls.management.roles=cn:ops"))
			.run((context) -> assertThat(context.getBean(MtlsEndpoint.class).mtls(caller("ops")))
				.doesNotContainKeys("authorization", "peers"));
	}

	@Test
	void startWhenRoleIsNotAnIdentityPatternThenFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.management.roles=cn:ops,sha256:xyz"))
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining(MtlsConfigurationException.class.getName())
				.hasStackTraceContaining("mtls.management.roles[1]")
				.hasStackTraceContaining("64 hex digits"));
	}

	private SecurityContext caller(String commonName, String... authorities) {
		CertificateAuthentication authentication = new CertificateAuthentication(
				this.ca.client(commonName).getIdentity(),
				List.of(authorities).stream().map(SimpleGrantedAuthority::new).toList());
		return new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return authentication;
			}

			@Override
			public boolean isUserInRole(String role) {
				return false;
			}

		};
	}

}
