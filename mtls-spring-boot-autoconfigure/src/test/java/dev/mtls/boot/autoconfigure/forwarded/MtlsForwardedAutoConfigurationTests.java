package dev.mtls.boot.autoconfigure.forwarded;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.reactive.ForwardedCertificateWebFilter;
import dev.mtls.boot.forwarded.servlet.ForwardedCertificateFilter;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MtlsForwardedAutoConfiguration}.
 */
@ExtendWith({ TestCertificateAuthorityExtension.class, OutputCaptureExtension.class })
class MtlsForwardedAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(MtlsAutoConfiguration.class,
			SslAutoConfiguration.class, MtlsForwardedAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	@Test
	void filterWhenNotEnabledThenNone(TestCertificateAuthority ca) {
		this.servlet.withPropertyValues(ca.writeServiceProperties())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ForwardedCertificateResolver.class));
	}

	@Test
	void filterWhenServletThenRegisteredFirstOnEveryDispatch(TestCertificateAuthority ca) {
		this.servlet.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=xfcc")))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ForwardedCertificateResolver.class);
				FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
				assertThat(registration.getFilter()).isInstanceOf(ForwardedCertificateFilter.class);
				assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
				assertThat(registration).extracting("dispatcherTypes").isEqualTo(EnumSet.allOf(DispatcherType.class));
				assertThat(context.getBean(ForwardedCertificateResolver.class).getHeaders())
					.containsExactly("x-forwarded-client-cert");
			});
	}

	@Test
	void filterWhenReactiveThenWebFilter(TestCertificateAuthority ca) {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=rfc9440")))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ForwardedCertificateWebFilter.class)
				.doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void filterWhenNotWebApplicationThenResolverOnly(TestCertificateAuthority ca) {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=nginx")))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ForwardedCertificateResolver.class)
				.doesNotHaveBean(ForwardedCertificateWebFilter.class)
				.doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void headerWhenSetThenReplacesFormatsCertificateHeader(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(
					enabled("mtls.forwarded.format=rfc9440", "mtls.forwarded.header=X-Client-Cert")))
			.run((context) -> assertThat(context.getBean(ForwardedCertificateResolver.class).getHeaders())
				.containsExactly("X-Client-Cert", "Client-Cert-Chain"));
	}

	@Test
	void authenticateProxyWhenSetThenResolverAuthenticatesProxyForwardingNothing(TestCertificateAuthority ca) {
		this.servlet.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=xfcc")))
			.run((context) -> assertThat(context.getBean(ForwardedCertificateResolver.class))
				.extracting("authenticateProxy")
				.isEqualTo(false));
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(
					enabled("mtls.forwarded.format=xfcc", "mtls.forwarded.authenticate-proxy=true")))
			.run((context) -> assertThat(context.getBean(ForwardedCertificateResolver.class))
				.extracting("authenticateProxy")
				.isEqualTo(true));
	}

	@Test
	void startupWhenNoFormatThenFailsNamingFormat(TestCertificateAuthority ca) {
		this.servlet.withPropertyValues(ca.writeServiceProperties(enabled()))
			.run(failsNaming("mtls.forwarded.format", "no format is set"));
	}

	@Test
	void startupWhenNoTrustedProxiesThenFailsNamingThem(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties("mtls.forwarded.enabled=true", "mtls.forwarded.format=nginx"))
			.run(failsNaming("mtls.forwarded.trusted-proxies", "no trusted proxy is set"));
	}

	@Test
	void startupWhenHeaderFormatWithoutHeaderThenFailsNamingHeader(TestCertificateAuthority ca) {
		this.servlet.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=header")))
			.run(failsNaming("mtls.forwarded.header", "needs the header's name"));
	}

	@Test
	void startupWhenHeaderNameInvalidThenFailsNamingHeader(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(
					enabled("mtls.forwarded.format=header", "mtls.forwarded.header=X Client: cert")))
			.run(failsNaming("mtls.forwarded.header", "not an HTTP header name"));
	}

	@Test
	void startupWhenEncodingForOtherFormatThenFailsNamingEncoding(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca
				.writeServiceProperties(enabled("mtls.forwarded.format=xfcc", "mtls.forwarded.encoding=base64-der")))
			.run(failsNaming("mtls.forwarded.encoding", "applies only to mtls.forwarded.format=header"));
	}

	@Test
	void startupWhenTrustProxyVerificationForOtherFormatThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(
					enabled("mtls.forwarded.format=nginx", "mtls.forwarded.trust-proxy-verification=true")))
			.run(failsNaming("mtls.forwarded.trust-proxy-verification", "applies only to mtls.forwarded.format=xfcc"));
	}

	@Test
	void startupWhenIdentityPatternInvalidThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties("mtls.forwarded.enabled=true", "mtls.forwarded.format=nginx",
					"mtls.forwarded.trusted-proxies.identities=cn:proxy,bogus"))
			.run(failsNaming("mtls.forwarded.trusted-proxies.identities[1]", "not an identity pattern"));
	}

	@Test
	void startupWhenAddressInvalidThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties("mtls.forwarded.enabled=true", "mtls.forwarded.format=alb",
					"mtls.forwarded.trusted-proxies.addresses=10.0.0.0/33"))
			.run(failsNaming("mtls.forwarded.trusted-proxies.addresses[0]", "the prefix length must be 0 to 32"));
	}

	@Test
	void startupWhenAddressesTrustedAndForwardHeadersAppliedThenFails(TestCertificateAuthority ca) {
		String[] properties = ca.writeServiceProperties("mtls.forwarded.enabled=true", "mtls.forwarded.format=alb",
				"mtls.forwarded.trusted-proxies.addresses=10.0.0.0/8");
		this.servlet.withPropertyValues(properties)
			.withPropertyValues("server.forward-headers-strategy=native")
			.run(failsNaming("mtls.forwarded.trusted-proxies.addresses", "any caller could claim"));
		this.servlet.withPropertyValues(properties)
			.withPropertyValues("spring.main.cloud-platform=kubernetes")
			.run(failsNaming("mtls.forwarded.trusted-proxies.addresses", "unset on a cloud platform"));
		this.servlet.withPropertyValues(properties)
			.withPropertyValues("spring.main.cloud-platform=kubernetes", "server.forward-headers-strategy=none")
			.run((context) -> assertThat(context).hasNotFailed());
		// Boot adds Tomcat's RemoteIpValve for either, whatever the strategy.
		this.servlet.withPropertyValues(properties)
			.withPropertyValues("server.forward-headers-strategy=none",
					"server.tomcat.remoteip.protocol-header=X-Forwarded-Proto")
			.run(failsNaming("mtls.forwarded.trusted-proxies.addresses", "RemoteIpValve"));
		this.servlet.withPropertyValues(properties)
			.withPropertyValues("server.tomcat.remoteip.remote-ip-header=X-Real-IP")
			.run(failsNaming("mtls.forwarded.trusted-proxies.addresses", "RemoteIpValve"));
	}

	@Test
	void startupWhenProxyVerificationTrustedByAddressAloneThenWarned(TestCertificateAuthority ca,
			CapturedOutput output) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties("mtls.forwarded.enabled=true", "mtls.forwarded.format=xfcc",
					"mtls.forwarded.trust-proxy-verification=true",
					"mtls.forwarded.trusted-proxies.addresses=127.0.0.6"))
			.run((context) -> assertThat(context).hasNotFailed());
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(
					enabled("mtls.forwarded.format=xfcc", "mtls.forwarded.trust-proxy-verification=true")))
			.run((context) -> assertThat(context).hasNotFailed());

		assertThat(output.toString().lines().filter((line) -> line.contains("with proxies trusted by address alone")))
			.hasSize(1);
	}

	@Test
	void hopWhenFartherOnXfccWithIdentitiesThenResolverReadsIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(
					ca.writeServiceProperties(enabled("mtls.forwarded.format=xfcc", "mtls.forwarded.hop=2")))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ForwardedCertificateResolver.class));
	}

	@Test
	void hopWhenOutOfRangeThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(
					ca.writeServiceProperties(enabled("mtls.forwarded.format=xfcc", "mtls.forwarded.hop=0")))
			.run(failsNaming("mtls.forwarded.hop", "must be 1 to 32"));
	}

	@Test
	void hopWhenFartherOnOtherFormatThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(
					ca.writeServiceProperties(enabled("mtls.forwarded.format=nginx", "mtls.forwarded.hop=2")))
			.run(failsNaming("mtls.forwarded.hop", "applies only to mtls.forwarded.format=xfcc"));
	}

	@Test
	void hopWhenFartherWithAddressesOnlyThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties("mtls.forwarded.enabled=true", "mtls.forwarded.format=xfcc",
					"mtls.forwarded.trusted-proxies.addresses=127.0.0.1", "mtls.forwarded.hop=2"))
			.run(failsNaming("mtls.forwarded.hop", "no mtls.forwarded.trusted-proxies.identities"));
	}

	@Test
	void forwardedTrustWhenSetThenForwardedClientsValidatedAgainstItOnly(TestCertificateAuthority ca) throws Exception {
		try (TestCertificateAuthority other = TestCertificateAuthority.create()) {
			String otherCa = ca.write("forwarded-ca.crt", other.getCaCertificatePem()).toUri().toString();
			X509Certificate[] otherClient = chain(other.client("alice"));
			X509Certificate[] ownClient = chain(ca.client("bob"));
			this.servlet
				.withPropertyValues(ca.writeServiceProperties(
						enabled("mtls.forwarded.format=nginx", "mtls.forwarded.trust.certificates=" + otherCa)))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MtlsTlsMaterial material = context.getBean(MtlsTlsMaterial.class);
					material.verifyForwardedClient(otherClient);
					assertThatExceptionOfType(CertificateException.class)
						.isThrownBy(() -> material.verifyForwardedClient(ownClient));
					// The direct peers (the proxies among them) keep mtls.trust.
					material.verifyClient(ownClient);
					assertThatExceptionOfType(CertificateException.class)
						.isThrownBy(() -> material.verifyClient(otherClient));
				});
		}
	}

	@Test
	void forwardedTrustWhenNotSetThenMtlsTrust(TestCertificateAuthority ca) {
		X509Certificate[] client = chain(ca.client("alice"));
		this.servlet.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=nginx")))
			.run((context) -> context.getBean(MtlsTlsMaterial.class).verifyForwardedClient(client));
	}

	@Test
	void forwardedTrustWhenFileReplacedThenReloadUsesIt(TestCertificateAuthority ca) throws Exception {
		try (TestCertificateAuthority first = TestCertificateAuthority.create();
				TestCertificateAuthority second = TestCertificateAuthority.create()) {
			Path file = ca.write("forwarded-ca.crt", first.getCaCertificatePem());
			X509Certificate[] firstClient = chain(first.client("alice"));
			X509Certificate[] secondClient = chain(second.client("alice"));
			this.servlet
				.withPropertyValues(ca.writeServiceProperties(
						enabled("mtls.forwarded.format=nginx", "mtls.forwarded.trust.certificates=" + file.toUri())))
				.run((context) -> {
					MtlsTlsMaterial material = context.getBean(MtlsTlsMaterial.class);
					assertThat(material.getSource().locations()).contains(file.toUri().toString());
					material.verifyForwardedClient(firstClient);
					ca.write("forwarded-ca.crt", second.getCaCertificatePem());
					assertThat(material.reload()).isTrue();
					material.verifyForwardedClient(secondClient);
					assertThatExceptionOfType(CertificateException.class)
						.isThrownBy(() -> material.verifyForwardedClient(firstClient));
				});
		}
	}

	@Test
	void forwardedTrustWhenTrustStoreThenUsed(TestCertificateAuthority ca) throws Exception {
		try (TestCertificateAuthority other = TestCertificateAuthority.create()) {
			Path store = other.writeTrustStore("forwarded.p12", "PKCS12", "secret");
			X509Certificate[] otherClient = chain(other.client("alice"));
			this.servlet
				.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=nginx",
						"mtls.forwarded.trust.truststore.location=" + store.toUri(),
						"mtls.forwarded.trust.truststore.password=secret")))
				.run((context) -> context.getBean(MtlsTlsMaterial.class).verifyForwardedClient(otherClient));
		}
	}

	@Test
	void forwardedTrustWhenFileMissingThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(
					enabled("mtls.forwarded.format=nginx", "mtls.forwarded.trust.certificates=file:/no/such/ca.crt")))
			.run(failsNaming("mtls.forwarded.trust.certificates[0]", "the file does not exist"));
	}

	@Test
	void forwardedTrustWhenPemAndTrustStoreThenFailsNamingIt(TestCertificateAuthority ca) {
		this.servlet
			.withPropertyValues(ca.writeServiceProperties(enabled("mtls.forwarded.format=nginx",
					"mtls.forwarded.trust.certificates=" + ca.writeCaCertificate().toUri(),
					"mtls.forwarded.trust.truststore.location=file:/x.p12")))
			.run(failsNaming("mtls.forwarded.trust.truststore.location", "both set"));
	}

	private static X509Certificate[] chain(TestCertificate certificate) {
		return certificate.getChain().toArray(X509Certificate[]::new);
	}

	private static String[] enabled(String... more) {
		String[] properties = new String[more.length + 2];
		properties[0] = "mtls.forwarded.enabled=true";
		properties[1] = "mtls.forwarded.trusted-proxies.identities=cn:proxy";
		System.arraycopy(more, 0, properties, 2, more.length);
		return properties;
	}

	private static ContextConsumer<AssertableWebApplicationContext> failsNaming(String property, String problem) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof MtlsConfigurationException)) {
				failure = failure.getCause();
			}
			assertThat(failure).isInstanceOf(MtlsConfigurationException.class);
			MtlsConfigurationException exception = (MtlsConfigurationException) failure;
			assertThat(exception.getProperty()).isEqualTo(property);
			assertThat(exception.getProblem()).contains(problem);
		};
	}

}
