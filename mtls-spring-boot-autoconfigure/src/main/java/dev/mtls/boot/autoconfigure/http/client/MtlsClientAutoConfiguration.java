package dev.mtls.boot.autoconfigure.http.client;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.HostnameVerifier;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.http.client.HandshakeDiagnosticsInterceptor;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ReactorClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientSettingsPropertyMapper;
import org.springframework.boot.http.client.autoconfigure.HttpClientsProperties;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of outbound HTTP clients: the {@link HttpClientSettings} that Spring
 * Boot applies to {@code RestClient.Builder}, {@code RestTemplateBuilder},
 * {@code WebClient.Builder} and HTTP service clients get the mTLS bundle, unless
 * {@code spring.http.clients.ssl.bundle} names another. As with Boot's own settings, a
 * user's {@code InetAddressFilter} bean (Spring Boot 4.1) limits the addresses they
 * connect to. A user's own settings bean keeps its values and gets the mTLS bundle too,
 * unless it names a bundle itself (then a warning names the bean).
 * <p>
 * Service-to-service calls are bounded: unless
 * {@code spring.http.clients.connect-timeout} and
 * {@code spring.http.clients.read-timeout} (or a settings bean of the user's) say
 * otherwise, a connection must be made within {@link #DEFAULT_CONNECT_TIMEOUT} and an
 * answer must come within {@link #DEFAULT_READ_TIMEOUT}. Without them, a peer that
 * accepts and never answers holds the calling thread for as long as the operating system
 * keeps the connection (minutes, for a Tomcat worker that is then lost to every other
 * caller). The TLS handshake is bounded too, by a different setting per client: the
 * connect timeout on Apache HttpClient (its TLS handshake timeout when none is set), the
 * read timeout on the JDK's client (its request timeout covers the whole exchange), and
 * Reactor Netty's own 10 s handshake timeout.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = HttpClientAutoConfiguration.class, after = MtlsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = { "mtls.enabled", "mtls.client.enabled" }, matchIfMissing = true)
@ConditionalOnClass(HttpClientSettings.class)
@EnableConfigurationProperties(HttpClientsProperties.class)
public final class MtlsClientAutoConfiguration {

	/**
	 * The connect timeout of outbound clients unless
	 * {@code spring.http.clients.connect-timeout} sets one.
	 */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The read timeout of outbound clients unless
	 * {@code spring.http.clients.read-timeout} sets one.
	 */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean
	HttpClientSettings httpClientSettings(SslBundles sslBundles, HttpClientsProperties properties,
			MtlsProperties mtlsProperties, MtlsTlsMaterial material, BeanFactory beanFactory) {
		HttpClientSettings settings = withDefaultTimeouts(
				new HttpClientSettingsPropertyMapper(sslBundles, BootSettings.defaults(beanFactory)).map(properties));
		if (settings.sslBundle() != null) {
			return settings;
		}
		return settings.withSslBundle(mtlsBundle(sslBundles, mtlsProperties, material));
	}

	@Bean
	static UserHttpClientSettingsPostProcessor mtlsUserHttpClientSettingsPostProcessor(
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<MtlsProperties> mtlsProperties,
			ObjectProvider<MtlsTlsMaterial> material) {
		return new UserHttpClientSettingsPostProcessor(
				SingletonSupplier
					.of(() -> mtlsBundle(sslBundles.getObject(), mtlsProperties.getObject(), material.getObject())),
				() -> sslBundles.getObject().getBundle(MtlsProperties.DEFAULT_BUNDLE_NAME));
	}

	/**
	 * Settings with the starter's default timeouts where they set none.
	 * @param settings the settings
	 * @return the settings, bounded
	 */
	static HttpClientSettings withDefaultTimeouts(HttpClientSettings settings) {
		HttpClientSettings bounded = settings;
		if (bounded.connectTimeout() == null) {
			bounded = bounded.withConnectTimeout(DEFAULT_CONNECT_TIMEOUT);
		}
		if (bounded.readTimeout() == null) {
			bounded = bounded.withReadTimeout(DEFAULT_READ_TIMEOUT);
		}
		return bounded;
	}

	private static SslBundle mtlsBundle(SslBundles sslBundles, MtlsProperties mtlsProperties,
			MtlsTlsMaterial material) {
		SslBundle bundle = sslBundles.getBundle(MtlsProperties.DEFAULT_BUNDLE_NAME);
		return mtlsProperties.getClient().isHostnameVerification() ? bundle
				: material.bundle(bundle.getOptions(), false);
	}

	/**
	 * What Boot's own settings bean starts from: its defaults, with the user's
	 * {@code InetAddressFilter} bean if there is one. That type and
	 * {@code HttpClientSettings.withInetAddressFilter} came with Spring Boot 4.1; the
	 * starter is built and run against 4.0 too, so they are looked up, not named.
	 */
	private static final class BootSettings {

		private static final String INET_ADDRESS_FILTER = "org.springframework.boot.http.client.InetAddressFilter";

		private static final @Nullable Method WITH_INET_ADDRESS_FILTER = withInetAddressFilter();

		private BootSettings() {
		}

		/**
		 * Boot's default settings, with the {@code InetAddressFilter} bean, as Boot's
		 * {@code HttpClientAutoConfiguration} starts them.
		 * @param beanFactory the bean factory to get the filter from
		 * @return the settings to map {@code spring.http.clients.*} onto
		 */
		static HttpClientSettings defaults(BeanFactory beanFactory) {
			HttpClientSettings defaults = HttpClientSettings.defaults();
			Method withFilter = WITH_INET_ADDRESS_FILTER;
			if (withFilter == null) {
				return defaults;
			}
			Object filter = beanFactory.getBeanProvider(withFilter.getParameterTypes()[0]).getIfAvailable();
			if (filter == null) {
				return defaults;
			}
			return (HttpClientSettings) Objects
				.requireNonNull(ReflectionUtils.invokeMethod(withFilter, defaults, filter));
		}

		private static @Nullable Method withInetAddressFilter() {
			ClassLoader classLoader = HttpClientSettings.class.getClassLoader();
			if (!ClassUtils.isPresent(INET_ADDRESS_FILTER, classLoader)) {
				return null;
			}
			return ReflectionUtils.findMethod(HttpClientSettings.class, "withInetAddressFilter",
					ClassUtils.resolveClassName(INET_ADDRESS_FILTER, classLoader));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class HandshakeDiagnosticsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mtlsHandshakeDiagnosticsRestClientCustomizer")
		RestClientCustomizer mtlsHandshakeDiagnosticsRestClientCustomizer() {
			return (builder) -> builder.requestInterceptor(new HandshakeDiagnosticsInterceptor());
		}

		@Bean
		@ConditionalOnMissingBean(name = "mtlsHandshakeDiagnosticsRestTemplateCustomizer")
		RestTemplateCustomizer mtlsHandshakeDiagnosticsRestTemplateCustomizer() {
			return (restTemplate) -> restTemplate.getInterceptors().add(new HandshakeDiagnosticsInterceptor());
		}

	}

	/**
	 * Apache HttpClient checks host names itself, after the handshake, so turning the
	 * check off takes its own TLS strategy.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DefaultClientTlsStrategy.class)
	@ConditionalOnBooleanProperty(name = "mtls.client.hostname-verification", havingValue = false)
	static class HttpComponentsHostnameVerificationConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mtlsHttpComponentsHostnameVerificationCustomizer")
		ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> mtlsHttpComponentsHostnameVerificationCustomizer() {
			return (builder) -> builder.withTlsSocketStrategyFactory((bundle) -> {
				if (bundle == null) {
					return null;
				}
				// Only the mtls bundle with hostname-verification=false skips the check.
				HostnameVerifier verifier = MtlsTlsMaterial.skipsHostNameVerification(bundle)
						? NoopHostnameVerifier.INSTANCE : new DefaultHostnameVerifier();
				return new DefaultClientTlsStrategy(bundle.createSslContext(),
						bundle.getOptions().getEnabledProtocols(), bundle.getOptions().getCiphers(), null, verifier);
			});
		}

	}

	/**
	 * With SPIFFE, the starter's trust manager checks what a server must be during the
	 * handshake: the SPIFFE ID that {@code mtls.spiffe.expected-servers} expects of its
	 * host, else its host name. Apache HttpClient's own host name check after the
	 * handshake would refuse every SVID (SVIDs name no host), so for the starter's
	 * bundles the check is left to the handshake (Apache's {@code BUILTIN} policy), which
	 * does it; other bundles keep Apache's check.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DefaultClientTlsStrategy.class)
	@ConditionalOnBooleanProperty("mtls.spiffe.enabled")
	static class HttpComponentsSpiffeConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mtlsHttpComponentsSpiffeCustomizer")
		ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> mtlsHttpComponentsSpiffeCustomizer() {
			return (builder) -> builder.withTlsSocketStrategyFactory((bundle) -> {
				if (bundle == null) {
					return null;
				}
				if (!MtlsTlsMaterial.isMaterialBundle(bundle)) {
					return new DefaultClientTlsStrategy(bundle.createSslContext(),
							bundle.getOptions().getEnabledProtocols(), bundle.getOptions().getCiphers(), null,
							new DefaultHostnameVerifier());
				}
				return new DefaultClientTlsStrategy(bundle.createSslContext(),
						bundle.getOptions().getEnabledProtocols(), bundle.getOptions().getCiphers(), null,
						HostnameVerificationPolicy.BUILTIN, NoopHostnameVerifier.INSTANCE);
			});
		}

	}

	/**
	 * Reactor Netty builds its own {@code SslContext} from the bundle's managers, outside
	 * the material's reach: its TLS sessions are capped and ended on reload like those of
	 * the bundle's own contexts, since a resumed session skips the server's validation.
	 * Boot's builders give the customizer only the client, not the bundle it was secured
	 * with, so a Reactor Netty client on another bundle is treated alike (at the cost of
	 * a full handshake after a reload).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HttpClient.class)
	static class ReactorNettySessionsConfiguration {

		@Bean
		@ConditionalOnClass(ReactorClientHttpConnector.class)
		@ConditionalOnMissingBean(name = "mtlsReactorClientHttpConnectorSessionsCustomizer")
		ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> mtlsReactorClientHttpConnectorSessionsCustomizer(
				ObjectProvider<MtlsTlsMaterial> material) {
			return (builder) -> builder.withHttpClientCustomizer((client) -> trackSessions(client, material));
		}

		@Bean
		@ConditionalOnClass(ReactorClientHttpRequestFactory.class)
		@ConditionalOnMissingBean(name = "mtlsReactorClientHttpRequestFactorySessionsCustomizer")
		ClientHttpRequestFactoryBuilderCustomizer<ReactorClientHttpRequestFactoryBuilder> mtlsReactorClientHttpRequestFactorySessionsCustomizer(
				ObjectProvider<MtlsTlsMaterial> material) {
			return (builder) -> builder.withHttpClientCustomizer((client) -> trackSessions(client, material));
		}

		private static HttpClient trackSessions(HttpClient client, ObjectProvider<MtlsTlsMaterial> material) {
			SslProvider ssl = client.configuration().sslProvider();
			if (ssl != null) {
				material.getObject().track(ssl.getSslContext().sessionContext());
			}
			return client;
		}

	}

	/**
	 * Apache HttpClient ties a connection made with a client certificate to that
	 * principal and leases it again only to requests that carry the same user token.
	 * Requests made through RestClient or RestTemplate carry none, so every call opened a
	 * new connection: a full mutual handshake per request. All connections of one client
	 * present the same identity, so connection state is not tracked and the pool is
	 * reused.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HttpClientBuilder.class)
	static class HttpComponentsConnectionReuseConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mtlsHttpComponentsConnectionReuseCustomizer")
		ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> mtlsHttpComponentsConnectionReuseCustomizer() {
			return (builder) -> builder.withHttpClientCustomizer(HttpClientBuilder::disableConnectionState);
		}

	}

}
