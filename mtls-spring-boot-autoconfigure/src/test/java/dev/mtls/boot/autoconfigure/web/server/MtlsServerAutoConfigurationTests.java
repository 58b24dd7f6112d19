package dev.mtls.boot.autoconfigure.web.server;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.netty.MtlsNettyIdleTimeoutCustomizer;
import dev.mtls.boot.netty.MtlsNettyWebServerFactoryCustomizer;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tomcat.MtlsTomcatProtocolCustomizer;
import dev.mtls.boot.web.server.ExternalServletContainerCheck;
import dev.mtls.boot.web.server.MtlsWebServerFactoryCustomizer;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.mock.web.MockServletContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link MtlsServerAutoConfiguration}.
 */
class MtlsServerAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsServerAutoConfiguration.class))
		.withBean(MtlsProperties.class)
		.withBean(MtlsTlsMaterial.class, () -> mock(MtlsTlsMaterial.class))
		.withBean(SslBundles.class, DefaultSslBundleRegistry::new);

	@Test
	void customizerWhenWebApplicationThenRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(MtlsWebServerFactoryCustomizer.class));
	}

	@Test
	void tomcatProtocolCustomizerWhenWebApplicationThenRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(MtlsTomcatProtocolCustomizer.class));
	}

	@Test
	void customizerWhenUserDefinesOneThenBacksOff() {
		this.contextRunner
			.withBean("own", MtlsWebServerFactoryCustomizer.class,
					() -> new MtlsWebServerFactoryCustomizer(Ssl.ClientAuth.NEED, new DefaultSslBundleRegistry()))
			.run((context) -> assertThat(context).hasSingleBean(MtlsWebServerFactoryCustomizer.class).hasBean("own"));
	}

	@Test
	void startWhenDeployedToExternalServletContainerThenFailsNamingMtlsEnabled() {
		// A war: the container's servlet context is there before refresh, and no embedded
		// server is created.
		new WebApplicationContextRunner(() -> {
			AnnotationConfigServletWebServerApplicationContext context = new AnnotationConfigServletWebServerApplicationContext();
			context.setServletContext(new MockServletContext());
			return context;
		}).withConfiguration(AutoConfigurations.of(MtlsServerAutoConfiguration.class))
			.withBean(MtlsProperties.class)
			.withBean(MtlsTlsMaterial.class, () -> mock(MtlsTlsMaterial.class))
			.withBean(SslBundles.class, DefaultSslBundleRegistry::new)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOfSatisfying(MtlsConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("mtls.enabled");
					assertThat(ex.getProblem()).contains("external servlet container");
					assertThat(ex.getAction()).contains("exclude " + MtlsServerAutoConfiguration.class.getName());
				}));
	}

	@Test
	void startWhenMockServletEnvironmentThenNoContainerCheckFailure() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ExternalServletContainerCheck.class));
	}

	@Test
	void customizerWhenMtlsDisabledThenBacksOff() {
		this.contextRunner.withPropertyValues("mtls.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MtlsWebServerFactoryCustomizer.class));
	}

	@Test
	void customizerWhenNotWebApplicationThenBacksOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MtlsServerAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MtlsWebServerFactoryCustomizer.class));
	}

	@Test
	void nettyAdapterWhenReactiveApplicationThenRegisteredBesideTheCustomizer() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MtlsServerAutoConfiguration.class))
			.withBean(MtlsProperties.class)
			.withBean(MtlsTlsMaterial.class, () -> mock(MtlsTlsMaterial.class))
			.withBean(SslBundles.class, DefaultSslBundleRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(MtlsWebServerFactoryCustomizer.class)
				.hasSingleBean(MtlsNettyWebServerFactoryCustomizer.class)
				.hasSingleBean(MtlsNettyIdleTimeoutCustomizer.class));
	}

	@Test
	void nettyAdapterWhenNettyAbsentThenNotRegistered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.run((context) -> assertThat(context).hasSingleBean(MtlsWebServerFactoryCustomizer.class)
				.doesNotHaveBean(MtlsNettyWebServerFactoryCustomizer.class));
	}

}
