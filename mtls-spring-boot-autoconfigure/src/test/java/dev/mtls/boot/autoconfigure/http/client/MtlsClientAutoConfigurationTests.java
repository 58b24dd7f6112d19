package dev.mtls.boot.autoconfigure.http.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import dev.mtls.boot.autoconfigure.MtlsAutoConfiguration;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link MtlsClientAutoConfiguration}.
 */
@ExtendWith({ OutputCaptureExtension.class, TestCertificateAuthorityExtension.class })
class MtlsClientAutoConfigurationTests {

	private static final String INET_ADDRESS_FILTER = "org.springframework.boot.http.client.InetAddressFilter";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class,
				MtlsClientAutoConfiguration.class, HttpClientAutoConfiguration.class));

	TestCertificateAuthority ca;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
	}

	@Test
	void settingsWhenDefaultThenMtlsBundle() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("spring.http.clients.connect-timeout=3s"))
			.run((context) -> {
				HttpClientSettings settings = context.getBean(HttpClientSettings.class);

				assertThat(settings.sslBundle()).isSameAs(context.getBean(SslBundles.class).getBundle("mtls"));
				assertThat(settings.connectTimeout()).hasSeconds(3);
				// The one that lets Apache HttpClient reuse connections made with a
				// client
				// certificate, and the one that tracks Reactor Netty's TLS sessions.
				assertThat(context).getBeanNames(ClientHttpRequestFactoryBuilderCustomizer.class)
					.containsExactlyInAnyOrder("mtlsHttpComponentsConnectionReuseCustomizer",
							"mtlsReactorClientHttpRequestFactorySessionsCustomizer");
			});
	}

	@Test
	void settingsWhenNoTimeoutsSetThenStartersDefaults() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties()).run((context) -> {
			HttpClientSettings settings = context.getBean(HttpClientSettings.class);

			assertThat(settings.connectTimeout()).hasSeconds(5);
			assertThat(settings.readTimeout()).hasSeconds(10);
		});
	}

	@Test
	void settingsWhenSpringTimeoutsSetThenTheyWin() {
		this.contextRunner
			.withPropertyValues(this.ca.writeServiceProperties("spring.http.clients.connect-timeout=2s",
					"spring.http.clients.read-timeout=3m"))
			.run((context) -> {
				HttpClientSettings settings = context.getBean(HttpClientSettings.class);

				assertThat(settings.connectTimeout()).hasSeconds(2);
				assertThat(settings.readTimeout()).hasMinutes(3);
			});
	}

	@Test
	void settingsWhenSpringBundleNamedThenItWins() {
		this.contextRunner
			.withPropertyValues(this.ca.writeServiceProperties("spring.http.clients.ssl.bundle=other",
					"spring.ssl.bundle.pem.other.truststore.certificate=" + this.ca.fileLocation("ca.crt")))
			.run((context) -> assertThat(context.getBean(HttpClientSettings.class).sslBundle())
				.isSameAs(context.getBean(SslBundles.class).getBundle("other")));
	}

	@Test
	void settingsWhenHostnameVerificationOffThenRelaxedBundleAndApacheCustomizer() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.client.hostname-verification=false"))
			.run((context) -> {
				assertThat(MtlsTlsMaterial
					.skipsHostNameVerification(context.getBean(HttpClientSettings.class).sslBundle())).isTrue();
				assertThat(context).hasBean("mtlsHttpComponentsHostnameVerificationCustomizer");
			});
	}

	@Test
	void relaxedBundleWhenReloadedThenItsContextsSessionsCappedAndEnded() {
		this.contextRunner
			.withPropertyValues(this.ca.writeServiceProperties("mtls.client.hostname-verification=false",
					"mtls.revocation.cache-ttl=42s"))
			.run((context) -> {
				SslBundle relaxed = context.getBean(HttpClientSettings.class).sslBundle();
				SSLContext client = relaxed.createSslContext();
				SSLContext server = context.getBean(SslBundles.class).getBundle("mtls").createSslContext();
				handshake(server, client);
				assertThat(client.getClientSessionContext().getSessionTimeout()).isEqualTo(42);
				assertThat(Collections.list(client.getClientSessionContext().getIds())).isNotEmpty();

				assertThat(context.getBean(MtlsTlsMaterial.class).reload()).isTrue();

				assertThat(Collections.list(client.getClientSessionContext().getIds())).isEmpty();
			});
	}

	@Test
	void relaxedBundleWhenCreatedThenTrustManagerFactoryIsTheFixedOne() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.client.hostname-verification=false"))
			.run((context) -> assertThat(context.getBean(HttpClientSettings.class)
				.sslBundle()
				.getManagers()
				.getTrustManagerFactory()
				.getProvider()
				.getName()).isEqualTo("MtlsFixedManagerFactories"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void reactorClientWhenBuiltThenItsSessionLifetimeCapped() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.revocation.cache-ttl=42s"))
			.run((context) -> {
				ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> customizer = context.getBean(
						"mtlsReactorClientHttpConnectorSessionsCustomizer", ClientHttpConnectorBuilderCustomizer.class);
				AtomicReference<HttpClient> built = new AtomicReference<>();

				customizer.customize(ClientHttpConnectorBuilder.reactor()).withHttpClientCustomizer((client) -> {
					built.set(client);
					return client;
				}).build(context.getBean(HttpClientSettings.class));

				assertThat(
						built.get().configuration().sslProvider().getSslContext().sessionContext().getSessionTimeout())
					.isEqualTo(42);
			});
	}

	/**
	 * Complete a handshake between the two contexts over a loopback socket, and read one
	 * byte so that a TLS 1.3 client takes in the server's session ticket.
	 */
	private static void handshake(SSLContext server, SSLContext client) throws Exception {
		try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
			.createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			listener.setNeedClientAuth(true);
			CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
				try (SSLSocket accepted = (SSLSocket) listener.accept()) {
					accepted.startHandshake();
					accepted.getOutputStream().write(1);
					accepted.getOutputStream().flush();
					accepted.getInputStream().read();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
				.createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
				socket.setSoTimeout(10_000);
				socket.startHandshake();
				assertThat(socket.getInputStream().read()).isOne();
				socket.getOutputStream().write(1);
				socket.getOutputStream().flush();
			}
			served.get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void settingsWhenUserDefinesInetAddressFilterThenSettingsCarryIt() {
		Object filter = inetAddressFilter("externalAddresses");
		withInetAddressFilter(this.contextRunner, filter)
			.withPropertyValues(this.ca.writeServiceProperties("spring.http.clients.connect-timeout=3s"))
			.run((context) -> {
				HttpClientSettings settings = context.getBean(HttpClientSettings.class);

				assertThat(invoke(settings, "inetAddressFilter")).isSameAs(filter);
				assertThat(settings.sslBundle()).isSameAs(context.getBean(SslBundles.class).getBundle("mtls"));
				assertThat(settings.connectTimeout()).hasSeconds(3);
			});
	}

	@Test
	void restClientWhenUserInetAddressFilterRefusesAddressThenCallRefused() {
		String[] properties = this.ca.writeServiceProperties();
		try (TestService downstream = TestService.start(properties)) {
			withInetAddressFilter(this.contextRunner, inetAddressFilter("externalAddresses"))
				.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class))
				.withPropertyValues(properties)
				.run((context) -> assertThatException().isThrownBy(() -> context.getBean(RestClient.Builder.class)
					.build()
					.get()
					.uri("https://127.0.0.1:" + downstream.port() + "/whoami")
					.retrieve()
					.body(String.class)));
		}
	}

	@Test
	void settingsWhenNoInetAddressFilterThenNone() {
		assumeThat(ClassUtils.isPresent(INET_ADDRESS_FILTER, null)).as("Spring Boot 4.1 or later").isTrue();
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties())
			.run((context) -> assertThat(invoke(context.getBean(HttpClientSettings.class), "inetAddressFilter"))
				.isNull());
	}

	/**
	 * A filter of Boot's (Spring Boot 4.1 and later; the tests also compile and run
	 * against 4.0, which has none).
	 * @param factoryMethod the name of the {@code InetAddressFilter} factory method
	 * @return the filter
	 */
	private static Object inetAddressFilter(String factoryMethod) {
		assumeThat(ClassUtils.isPresent(INET_ADDRESS_FILTER, null)).as("Spring Boot 4.1 or later").isTrue();
		Class<?> type = ClassUtils.resolveClassName(INET_ADDRESS_FILTER, null);
		return Objects.requireNonNull(invoke(type, null, factoryMethod));
	}

	private static ApplicationContextRunner withInetAddressFilter(ApplicationContextRunner runner, Object filter) {
		return withBean(runner, ClassUtils.resolveClassName(INET_ADDRESS_FILTER, null), filter);
	}

	private static <T> ApplicationContextRunner withBean(ApplicationContextRunner runner, Class<T> type, Object bean) {
		return runner.withBean("userInetAddressFilter", type, () -> type.cast(bean));
	}

	private static @Nullable Object invoke(Object target, String method) {
		return invoke(target.getClass(), target, method);
	}

	private static @Nullable Object invoke(Class<?> type, @Nullable Object target, String method) {
		return ReflectionUtils.invokeMethod(Objects.requireNonNull(ReflectionUtils.findMethod(type, method)), target);
	}

	@Test
	void settingsWhenClientDisabledThenBootDefaults() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.client.enabled=false"))
			.run((context) -> assertThat(context.getBean(HttpClientSettings.class).sslBundle()).isNull());
	}

	@Test
	void settingsWhenUserDefinesThemWithoutBundleThenTheirsKeptAndClientsPresentIdentity(CapturedOutput output) {
		String[] properties = this.ca.writeServiceProperties();
		try (TestService downstream = TestService.start(properties)) {
			this.contextRunner.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class))
				.withPropertyValues(properties)
				.withBean("userSettings", HttpClientSettings.class,
						() -> HttpClientSettings.defaults().withReadTimeout(Duration.ofSeconds(7)))
				.run((context) -> {
					HttpClientSettings settings = context.getBean(HttpClientSettings.class);
					String caller = context.getBean(RestClient.Builder.class)
						.build()
						.get()
						.uri("https://127.0.0.1:" + downstream.port() + "/whoami")
						.retrieve()
						.body(String.class);

					assertThat(settings.readTimeout()).hasSeconds(7);
					assertThat(settings.connectTimeout())
						.isEqualTo(MtlsClientAutoConfiguration.DEFAULT_CONNECT_TIMEOUT);
					assertThat(settings.sslBundle()).isSameAs(context.getBean(SslBundles.class).getBundle("mtls"));
					assertThat(caller).isEqualTo("localhost");
					assertThat(output).doesNotContain("names an SSL bundle of its own");
				});
		}
	}

	@Test
	void settingsWhenUserDefinesThemWithOwnBundleThenTheirsWinsAndWarningNamesBean(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues(this.ca.writeServiceProperties(
					"spring.ssl.bundle.pem.other.truststore.certificate=" + this.ca.fileLocation("ca.crt")))
			.withBean("userSettings", HttpClientSettings.class, () -> HttpClientSettings.defaults())
			.withBean("userSettingsWithBundle", HttpClientSettings.class,
					() -> HttpClientSettings.ofSslBundle(SslBundle.systemDefault()))
			.run((context) -> {
				assertThat(context.getBean("userSettingsWithBundle", HttpClientSettings.class).sslBundle())
					.isNotSameAs(context.getBean(SslBundles.class).getBundle("mtls"));
				assertThat(context.getBean("userSettingsWithBundle", HttpClientSettings.class).readTimeout())
					.isEqualTo(MtlsClientAutoConfiguration.DEFAULT_READ_TIMEOUT);
				assertThat(output).containsOnlyOnce("names an SSL bundle of its own")
					.contains("The HttpClientSettings bean 'userSettingsWithBundle' names an SSL bundle of its own");
			});
	}

}
