package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.config.MtlsFailureAnalyses;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import dev.mtls.boot.test.TestCertificateAuthorityExtension;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.tls.WorkloadMaterial;
import dev.mtls.boot.tls.WorkloadMaterialProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link MtlsAutoConfiguration}: the wiring only. What each bad value fails
 * with is tested without a context, in {@code TlsMaterialLoaderTests},
 * {@link TlsMaterialSourceMapperTests} and {@link MtlsSslBundleRegistrarTests}.
 */
@ExtendWith({ TestCertificateAuthorityExtension.class, OutputCaptureExtension.class })
class MtlsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class));

	@TempDir
	Path directory;

	TestCertificateAuthority ca;

	@BeforeEach
	void mint(TestCertificateAuthority ca) {
		this.ca = ca;
	}

	@Test
	void bundleWhenPemIdentityAndTrustThenRegisteredWithServerOptions() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.server.protocols=TLSv1.3"))
			.run((context) -> {
				SslBundle bundle = context.getBean(SslBundles.class).getBundle("mtls");

				assertThat(bundle.getStores().getKeyStore().getCertificate("mtls"))
					.isEqualTo(this.ca.getServerCertificate().getCertificate());
				assertThat(bundle.getStores().getTrustStore().size()).isOne();
				assertThat(bundle.getOptions().getEnabledProtocols()).containsExactly("TLSv1.3");
				assertThat(bundle.createSslContext()).isNotNull();
				assertThat(context).hasSingleBean(MtlsFileWatcher.class);
			});
	}

	@Test
	void materialWhenLoadedAndReloadedThenLogSaysHowManyCasAndCrls(CapturedOutput output) {
		Path crl = this.ca.writeCrl();
		this.contextRunner
			.withPropertyValues(
					this.ca.writeServiceProperties("mtls.revocation.crls=file:" + crl, "mtls.reload.enabled=false"))
			.run((context) -> {
				assertThat(output)
					.contains("mTLS identity '" + this.ca.getServerCertificate().getIdentity().getSubject()
							+ "' (expires ")
					.contains("), 1 trusted CAs, 1 CRLs");
				assertThat(context.getBean(MtlsTlsMaterial.class).reload()).isTrue();
				assertThat(output).contains("mTLS material reloaded: identity").contains("), 1 trusted CAs, 1 CRLs\n");
			});
	}

	@Test
	void autoConfigurationWhenDisabledThenBacksOff() {
		this.contextRunner.withPropertyValues("mtls.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MtlsTlsMaterial.class)
				.doesNotHaveBean(MtlsSslBundleRegistrar.class));
	}

	@Test
	void watcherWhenReloadDisabledThenAbsent() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.reload.enabled=false"))
			.run((context) -> assertThat(context).hasSingleBean(MtlsTlsMaterial.class)
				.doesNotHaveBean(MtlsFileWatcher.class));
	}

	@Test
	void registrarWhenUserDefinesOneThenBacksOff() {
		MtlsSslBundleRegistrar own = new MtlsSslBundleRegistrar(mock(MtlsTlsMaterial.class), new MtlsProperties()) {
			@Override
			public void registerBundles(SslBundleRegistry registry) {
				registry.registerBundle("mtls", SslBundle.systemDefault());
			}
		};
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties())
			.withBean(MtlsSslBundleRegistrar.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().getBean(MtlsSslBundleRegistrar.class).isSameAs(own));
	}

	@Test
	void bundleWhenMtlsBundleNamesSpringBundleThenViewWithStarterOptions() {
		PemFiles server = this.ca.writePem("server", this.ca.getServerCertificate());
		this.ca.writeCaCertificate();
		this.contextRunner
			.withPropertyValues("mtls.bundle=corp",
					"spring.ssl.bundle.pem.corp.keystore.certificate=" + server.certificateLocation(),
					"spring.ssl.bundle.pem.corp.keystore.private-key=" + server.privateKeyLocation(),
					"spring.ssl.bundle.pem.corp.truststore.certificate=" + this.ca.fileLocation("ca.crt"))
			.run((context) -> {
				SslBundle bundle = context.getBean(SslBundles.class).getBundle("mtls");

				assertThat(bundle.getStores().getTrustStore().size()).isOne();
				assertThat(bundle.getOptions().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
				assertThat(context.getBean(MtlsTlsMaterial.class).getIdentityChain())
					.containsExactlyElementsOf(this.ca.getServerCertificate().getChain());
			});
	}

	@Test
	void startupWhenMtlsBundleUnknownThenFailsAtStartupNotFirstConnection() {
		this.contextRunner.withPropertyValues("mtls.bundle=missing").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(MtlsFailureAnalyses.analyze(context.getStartupFailure()).getCause()).isInstanceOfSatisfying(
					MtlsConfigurationException.class, (ex) -> assertThat(ex.getProperty()).isEqualTo("mtls.bundle"));
		});
	}

	@Test
	void startupWhenMaterialDoesNotLoadThenFailureAnalysisNamesProperty() {
		String missing = this.ca.fileLocation("nope.crt");
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.identity.certificate=" + missing))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(MtlsFailureAnalyses.analyze(context.getStartupFailure()).getDescription())
					.startsWith("mTLS could not be configured: property 'mtls.identity.certificate' with value '"
							+ missing + "' is invalid.");
			});
	}

	@Test
	void startupWhenUnknownMtlsPropertyThenBindingFails() {
		this.contextRunner.withPropertyValues(this.ca.writeServiceProperties("mtls.identity.certficate=typo"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("mtls.identity.certficate"));
	}

	@Test
	void bundleWhenDevModeThenMintedInDirectoryAndUsed() {
		Path dev = this.directory.resolve("dev");
		this.contextRunner
			.withPropertyValues("mtls.dev.enabled=true", "mtls.dev.directory=" + dev, "mtls.dev.clients=carol")
			.run((context) -> {
				SslBundle bundle = context.getBean(SslBundles.class).getBundle("mtls");

				assertThat(dev.resolve("ca.crt")).exists();
				assertThat(dev.resolve("carol.p12")).exists();
				assertThat(dev.resolve("alice.crt")).doesNotExist();
				assertThat(((X509Certificate) bundle.getStores().getKeyStore().getCertificate("mtls"))
					.getSubjectX500Principal()
					.getName()).isEqualTo("CN=localhost");
			});
	}

	@Test
	void curlCommandLoggerWhenDevModeInWebApplicationThenRegistered() {
		Path dev = this.directory.resolve("dev");
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MtlsAutoConfiguration.class, SslAutoConfiguration.class))
			.withPropertyValues("mtls.dev.enabled=true", "mtls.dev.directory=" + dev)
			.run((context) -> assertThat(context).hasBean("devModeCurlCommandLogger"));
	}

	@Test
	void curlCommandLoggerWhenNotWebApplicationThenAbsent() {
		Path dev = this.directory.resolve("dev");
		this.contextRunner.withPropertyValues("mtls.dev.enabled=true", "mtls.dev.directory=" + dev)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("devModeCurlCommandLogger"));
	}

	@Test
	void materialWhenWorkloadTrustChangesBeforeListenerIsSetThenReloaded() {
		// The SVID stays, the trust bundles change (a CA added): an update the provider
		// took in before the material listened to it.
		CertificateAuthority first = CertificateAuthority.create("Workload CA");
		CertificateAuthority added = CertificateAuthority.create("Added CA");
		IssuedCertificate svid = first.certificate("svid")
			.uris("spiffe://acme.org/svc")
			.clientAuth()
			.serverAuth()
			.issue();
		WorkloadMaterial before = new WorkloadMaterial(svid.getPrivateKey(), svid.getChain(),
				Map.of("acme.org", List.of(first.getCertificate())));
		WorkloadMaterial after = new WorkloadMaterial(svid.getPrivateKey(), svid.getChain(),
				Map.of("acme.org", List.of(first.getCertificate(), added.getCertificate())));
		WorkloadMaterialProvider provider = new WorkloadMaterialProvider() {

			private volatile WorkloadMaterial current = before;

			@Override
			public WorkloadMaterial get() {
				return this.current;
			}

			@Override
			public void setUpdateListener(BooleanSupplier listener) {
				this.current = after;
			}

		};
		this.contextRunner.withPropertyValues("mtls.spiffe.enabled=true")
			.withBean(WorkloadMaterialProvider.class, () -> provider)
			.run((context) -> assertThat(context.getBean(MtlsTlsMaterial.class).getTrustAnchors())
				.contains(added.getCertificate()));
	}

}
