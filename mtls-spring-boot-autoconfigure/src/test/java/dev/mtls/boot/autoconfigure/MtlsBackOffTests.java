package dev.mtls.boot.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mtls.boot.autoconfigure.actuate.MtlsActuatorAutoConfiguration;
import dev.mtls.boot.autoconfigure.http.client.MtlsClientAutoConfiguration;
import dev.mtls.boot.autoconfigure.security.servlet.MtlsSecurityAutoConfiguration;
import dev.mtls.boot.autoconfigure.web.server.MtlsServerAutoConfiguration;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every auto-configuration of the starter backs off what it cannot serve (a
 * library missing from the class path, a switch turned off, a bean of the user's) and
 * keeps the rest.
 */
@ExtendWith(TestCertificateAuthorityExtension.class)
class MtlsBackOffTests {

	private static final List<String> CORE = List.of("mtlsTlsMaterial", "mtlsSslBundleRegistrar", "mtlsFileWatcher");

	private static final List<String> TOMCAT = List.of("mtlsTomcatWebServerFactoryCustomizer");

	private static final List<String> WEB_SERVER = List.of("mtlsWebServerFactoryCustomizer");

	private static final List<String> HTTP_CLIENT = List.of("httpClientSettings");

	private static final List<String> HTTP_COMPONENTS = List.of("mtlsHttpComponentsConnectionReuseCustomizer");

	private static final List<String> REACTOR_NETTY = List.of("mtlsReactorClientHttpConnectorSessionsCustomizer",
			"mtlsReactorClientHttpRequestFactorySessionsCustomizer");

	private static final List<String> REST_CLIENT = List.of("mtlsHandshakeDiagnosticsRestClientCustomizer",
			"mtlsHandshakeDiagnosticsRestTemplateCustomizer");

	private static final List<String> SECURITY = List.of("certificateAuthenticator", "authorizationRules",
			"mtlsSecurityFilterChain");

	private static final List<String> ACTUATOR = List.of("mtlsHealthIndicator", "mtlsEndpoint");

	private static final List<String> MICROMETER = List.of("mtlsMetrics");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				MtlsAutoConfiguration.class, MtlsServerAutoConfiguration.class, MtlsClientAutoConfiguration.class,
				MtlsSecurityAutoConfiguration.class, MtlsActuatorAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=mtls");

	TestCertificateAuthority ca;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
	}

	@Test
	void startWhenEverythingPresentThenEveryIntegrationConfigured() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, List.of(), CORE, TOMCAT, WEB_SERVER, HTTP_CLIENT, HTTP_COMPONENTS,
					REACTOR_NETTY, REST_CLIENT, SECURITY, ACTUATOR, MICROMETER));
	}

	@Test
	void startWhenTomcatAbsentThenTomcatCustomizersBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.catalina", "org.apache.tomcat"))
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, TOMCAT, CORE, WEB_SERVER, HTTP_CLIENT, HTTP_COMPONENTS, REST_CLIENT,
					SECURITY, ACTUATOR, MICROMETER));
	}

	@Test
	void startWhenApacheHttpClientAbsentThenItsCustomizerBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.hc"))
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, HTTP_COMPONENTS, CORE, TOMCAT, WEB_SERVER, HTTP_CLIENT, REST_CLIENT,
					SECURITY, ACTUATOR, MICROMETER));
	}

	@Test
	void startWhenReactorNettyAbsentThenItsSessionCustomizersBackOff() {
		// WebClient takes the identity through Boot's HttpClientSettings, which stay.
		this.contextRunner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, REACTOR_NETTY, CORE, TOMCAT, WEB_SERVER, HTTP_CLIENT,
					HTTP_COMPONENTS, REST_CLIENT, SECURITY, ACTUATOR, MICROMETER));
	}

	@Test
	void startWhenActuatorAbsentThenActuatorAndMetricsBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, concat(ACTUATOR, MICROMETER), CORE, TOMCAT, WEB_SERVER, HTTP_CLIENT,
					HTTP_COMPONENTS, REST_CLIENT, SECURITY));
	}

	@Test
	void startWhenMicrometerAbsentThenMetricsBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, MICROMETER, CORE, TOMCAT, WEB_SERVER, HTTP_CLIENT, HTTP_COMPONENTS,
					REST_CLIENT, SECURITY, ACTUATOR));
	}

	@Test
	void startWhenRestClientAbsentThenRestClientCustomizersBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient"))
			.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertBeans(context, REST_CLIENT, CORE, TOMCAT, WEB_SERVER, HTTP_CLIENT, HTTP_COMPONENTS,
					SECURITY, ACTUATOR, MICROMETER));
	}

	@Test
	void startWhenReloadDisabledThenNoFileWatcher() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.reload.enabled=false"))
			.run((context) -> assertBeans(context, List.of("mtlsFileWatcher"),
					List.of("mtlsTlsMaterial", "mtlsSslBundleRegistrar"), TOMCAT, WEB_SERVER, HTTP_CLIENT, SECURITY,
					ACTUATOR, MICROMETER));
	}

	@Test
	void startWhenUserDeclaresMaterialThenStarterBacksOffAndUsesTheUsers() {
		try (TestCertificateAuthority other = TestCertificateAuthority.create()) {
			this.contextRunner.withPropertyValues(other.writeServiceProperties("mtls.reload.enabled=false"))
				.run((source) -> {
					MtlsTlsMaterial users = source.getBean(MtlsTlsMaterial.class);
					this.contextRunner.withPropertyValues(this.ca.writeServiceProperties())
						.withBean("usersMaterial", MtlsTlsMaterial.class, () -> users)
						.run((context) -> {
							assertThat(context).hasNotFailed()
								.hasSingleBean(MtlsTlsMaterial.class)
								.hasBean("usersMaterial");
							assertThat(context.getBean(SslBundles.class)
								.getBundle("mtls")
								.getStores()
								.getKeyStore()
								.getCertificate("mtls")).isEqualTo(other.getServerCertificate().getCertificate());
							assertBeans(context, List.of(), TOMCAT, WEB_SERVER, HTTP_CLIENT, SECURITY, ACTUATOR,
									MICROMETER);
						});
				});
		}
	}

	@SafeVarargs
	private static void assertBeans(AssertableWebApplicationContext context, List<String> absent,
			List<String>... present) {
		assertThat(context).hasNotFailed();
		List<String> names = Arrays.asList(context.getBeanDefinitionNames());
		assertThat(names).containsAll(Arrays.stream(present).flatMap(List::stream).toList());
		if (!absent.isEmpty()) {
			assertThat(names).doesNotContainAnyElementsOf(absent);
		}
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

}
