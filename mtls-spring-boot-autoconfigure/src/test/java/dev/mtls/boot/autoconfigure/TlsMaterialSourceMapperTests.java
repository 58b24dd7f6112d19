package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.tls.TlsMaterialSource;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;
import dev.mtls.boot.tls.WorkloadMaterial;
import dev.mtls.boot.tls.WorkloadMaterialProvider;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TlsMaterialSourceMapper}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsMaterialSourceMapperTests {

	private final MtlsProperties properties = new MtlsProperties();

	private final MockEnvironment environment = new MockEnvironment();

	private TlsMaterialSource map() {
		return TlsMaterialSourceMapper.map(this.properties, this.environment);
	}

	private void pemIdentity() {
		this.properties.getIdentity().setCertificate("file:/etc/mtls/tls.crt");
		this.properties.getIdentity().setPrivateKey("file:/etc/mtls/tls.key");
	}

	@Test
	void mapWhenPemIdentityAndTrustThenSourceCarriesThemAndOptions() {
		pemIdentity();
		this.properties.getIdentity().setPrivateKeyPassword("s3cret");
		this.properties.getTrust().setCertificates(List.of("file:/etc/mtls/ca.crt"));
		this.properties.getRevocation().setCrls(List.of("file:/etc/mtls/ca.crl"));
		this.properties.getPolicy().setMinRsaKeySize(3072);

		TlsMaterialSource source = map();

		assertThat(source.identity())
			.isEqualTo(IdentitySource.pem("file:/etc/mtls/tls.crt", "file:/etc/mtls/tls.key", "s3cret"));
		assertThat(source.identity()).hasToString("PEM certificate file:/etc/mtls/tls.crt");
		assertThat(source.trust()).isEqualTo(TrustSource.pem(List.of("file:/etc/mtls/ca.crt")));
		assertThat(source.crls()).containsExactly("file:/etc/mtls/ca.crl");
		assertThat(source.policy().minRsaKeySize()).isEqualTo(3072);
		assertThat(source.bundle()).isNull();
	}

	@Test
	void mapWhenSpiffeEnabledThenSourceIsTheProvider() {
		this.properties.getSpiffe().setEnabled(true);
		this.properties.getRevocation().setCrls(List.of("file:/etc/mtls/ca.crl"));
		WorkloadMaterialProvider provider = new StubProvider();

		TlsMaterialSource source = TlsMaterialSourceMapper.map(this.properties, this.environment, provider);

		assertThat(source.workload()).isSameAs(provider);
		assertThat(source.identity()).isNull();
		assertThat(source.bundle()).isNull();
		assertThat(source.crls()).containsExactly("file:/etc/mtls/ca.crl");
	}

	@Test
	void mapWhenExpectedServerIsNoSpiffeIdPatternThenFailureNamesTheEntry() {
		this.properties.getSpiffe().setEnabled(true);
		this.properties.getSpiffe().getExpectedServers().put("*", "*");

		assertSpiffeFailure("mtls.spiffe.expected-servers[*]").withMessageContaining("'*' is no SPIFFE ID pattern");
	}

	@Test
	void mapWhenExpectedServersWithoutSpiffeThenFailureNamesTheProperty() {
		pemIdentity();
		this.properties.getTrust().setCertificates(List.of("file:/etc/mtls/ca.crt"));
		this.properties.getSpiffe().getExpectedServers().put("orders.svc", "spiffe://acme.org/ns/shop/sa/orders");

		assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(this::map)
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("mtls.spiffe.expected-servers"))
			.withMessageContaining("only with mtls.spiffe.enabled=true");
	}

	@Test
	void mapWhenSpiffeEnabledWithForwardedTrustThenFailureNamesTheProperty() {
		this.properties.getSpiffe().setEnabled(true);
		this.properties.getForwarded().setEnabled(true);
		this.properties.getForwarded().getTrust().setCertificates(List.of("file:/etc/mtls/customers-ca.crt"));

		assertSpiffeFailure("mtls.forwarded.trust.certificates").withMessageContaining("could vouch for any SPIFFE ID");
	}

	@Test
	void mapWhenSpiffeEnabledWithForwardedTrustStoreThenFailureNamesTheProperty() {
		this.properties.getSpiffe().setEnabled(true);
		this.properties.getForwarded().setEnabled(true);
		this.properties.getForwarded().getTrust().getTruststore().setLocation("file:/etc/mtls/customers.p12");

		assertSpiffeFailure("mtls.forwarded.trust.truststore.location");
	}

	private ThrowableAssertAlternative<MtlsConfigurationException> assertSpiffeFailure(String property) {
		return assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> TlsMaterialSourceMapper.map(this.properties, this.environment, new StubProvider()))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo(property));
	}

	@Test
	void mapWhenSpiffeEnabledWithIdentityThenMutuallyExclusive() {
		this.properties.getSpiffe().setEnabled(true);
		pemIdentity();

		assertThatExceptionOfType(MutuallyExclusiveConfigurationPropertiesException.class)
			.isThrownBy(() -> TlsMaterialSourceMapper.map(this.properties, this.environment, new StubProvider()))
			.satisfies((ex) -> assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder("mtls.spiffe.enabled",
					"mtls.identity.certificate", "mtls.identity.private-key"));
	}

	@Test
	void mapWhenSpiffeEnabledWithBundleOrDevModeThenMutuallyExclusive() {
		this.properties.getSpiffe().setEnabled(true);
		this.properties.setBundle("service");
		this.properties.getDev().setEnabled(true);

		assertThatExceptionOfType(MutuallyExclusiveConfigurationPropertiesException.class)
			.isThrownBy(() -> TlsMaterialSourceMapper.map(this.properties, this.environment, new StubProvider()))
			.satisfies((ex) -> assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder("mtls.spiffe.enabled",
					"mtls.bundle", "mtls.dev.enabled"));
	}

	@Test
	void mapWhenSpiffeEnabledWithoutJavaSpiffeThenFailureNamesTheDependencies() {
		this.properties.getSpiffe().setEnabled(true);

		assertThatExceptionOfType(MtlsConfigurationException.class)
			.isThrownBy(() -> TlsMaterialSourceMapper.map(this.properties, this.environment, null))
			.withMessageContaining("java-spiffe, which speaks the SPIFFE Workload API, is not on the class path")
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("mtls.spiffe.enabled");
				assertThat(ex.getAction()).contains("io.spiffe:java-spiffe-core and io.spiffe:grpc-netty-linux");
			});
	}

	@Test
	void mapWhenKeyStoresThenSourceCarriesThem() {
		this.properties.getIdentity().getKeystore().setLocation("file:/etc/mtls/tls.p12");
		this.properties.getIdentity().getKeystore().setPassword("changeit");
		this.properties.getIdentity().getKeystore().setAlias("service");
		this.properties.getTrust().getTruststore().setLocation("file:/etc/mtls/trust.jks");

		TlsMaterialSource source = map();

		assertThat(source.identity())
			.isEqualTo(IdentitySource.keyStore("file:/etc/mtls/tls.p12", "changeit", null, "service"));
		assertThat(source.identity().toString()).doesNotContain("changeit");
		assertThat(source.trust()).isEqualTo(TrustSource.trustStore("file:/etc/mtls/trust.jks", null, null));
	}

	@Test
	void mapWhenNoIdentityAndDevModeOffThenFailureSaysHowToFix() {
		assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(this::map).satisfies((ex) -> {
			assertThat(ex.getProperty()).isEqualTo("mtls.identity.certificate");
			assertThat(ex.getValue()).isNull();
			assertThat(ex.getProblem()).isEqualTo("mTLS is enabled but no identity is configured: none of "
					+ "mtls.identity.certificate, mtls.identity.keystore.location or mtls.bundle is set, and dev mode is off");
			assertThat(ex.getAction()).isEqualTo("Set mtls.identity.certificate and mtls.identity.private-key "
					+ "(or mtls.identity.keystore.location, or mtls.bundle) to this service's certificate and key; or set "
					+ "mtls.dev.enabled=true to mint local development certificates; or set mtls.enabled=false to turn "
					+ "mTLS off.");
		});
	}

	@Test
	void mapWhenBundleNamedMtlsThenFailure() {
		this.properties.setBundle("mtls");

		assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(this::map).satisfies((ex) -> {
			assertThat(ex.getProperty()).isEqualTo("mtls.bundle");
			assertThat(ex.getValue()).isEqualTo("mtls");
			assertThat(ex.getProblem()).isEqualTo("'mtls' is the name of the bundle the starter registers");
			assertThat(ex.getAction())
				.isEqualTo("Give the spring.ssl.bundle another name, such as 'service', and set mtls.bundle to it.");
		});
	}

	@Test
	void mapWhenBundleAndIdentityThenMutuallyExclusive() {
		this.properties.setBundle("corp");
		pemIdentity();
		this.properties.getTrust().setCertificates(List.of("file:/etc/mtls/ca.crt"));

		assertThatExceptionOfType(MutuallyExclusiveConfigurationPropertiesException.class).isThrownBy(this::map)
			.satisfies((ex) -> assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder("mtls.bundle",
					"mtls.identity.certificate", "mtls.identity.private-key", "mtls.trust.certificates"));
	}

	@Test
	void mapWhenBundleAloneThenBundleSource() {
		this.properties.setBundle("corp");

		TlsMaterialSource source = map();

		assertThat(source.bundle()).isEqualTo("corp");
		assertThat(source.identity()).isNull();
		assertThat(source.trust()).isNull();
	}

	@Test
	void mapWhenKeyStoreAndPemIdentityThenFailure() {
		pemIdentity();
		this.properties.getIdentity().getKeystore().setLocation("file:/etc/mtls/tls.p12");

		assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(this::map).satisfies((ex) -> {
			assertThat(ex.getProperty()).isEqualTo("mtls.identity.keystore.location");
			assertThat(ex.getValue()).isEqualTo("file:/etc/mtls/tls.p12");
			assertThat(ex.getProblem())
				.isEqualTo("a key store and a PEM identity (mtls.identity.certificate/.private-key) are both set");
			assertThat(ex.getAction()).isEqualTo("Configure the identity either as PEM or as a key store, not both.");
		});
	}

	@Test
	void mapWhenTrustStoreAndPemTrustThenFailure() {
		pemIdentity();
		this.properties.getTrust().setCertificates(List.of("file:/etc/mtls/ca.crt"));
		this.properties.getTrust().getTruststore().setLocation("file:/etc/mtls/trust.p12");

		assertThatExceptionOfType(MtlsConfigurationException.class).isThrownBy(this::map).satisfies((ex) -> {
			assertThat(ex.getProperty()).isEqualTo("mtls.trust.truststore.location");
			assertThat(ex.getProblem())
				.isEqualTo("a trust store and PEM certificates (mtls.trust.certificates) are both set");
			assertThat(ex.getAction())
				.isEqualTo("Configure trust either as PEM certificates or as a trust store, not both.");
		});
	}

	@Test
	void mapWhenDevModeAndNothingConfiguredThenMintedCertificatesUsed(@TempDir Path directory) {
		this.properties.getDev().setEnabled(true);
		this.properties.getDev().setDirectory(directory.toString());

		TlsMaterialSource source = map();

		assertThat(source.identity().certificate()).isEqualTo("file:" + directory.resolve("server.crt"));
		assertThat(source.trust().certificates()).containsExactly("file:" + directory.resolve("ca.crt"));
		assertThat(directory.resolve("server.key")).exists();
	}

	@Test
	void mapWhenDevModeAndIdentityConfiguredThenIdentityWinsWithWarning(@TempDir Path directory,
			CapturedOutput output) {
		this.properties.getDev().setEnabled(true);
		this.properties.getDev().setDirectory(directory.resolve("dev").toString());
		pemIdentity();
		this.properties.getTrust().setCertificates(List.of("file:/etc/mtls/ca.crt"));

		TlsMaterialSource source = map();

		assertThat(source.identity().certificate()).isEqualTo("file:/etc/mtls/tls.crt");
		assertThat(directory.resolve("dev")).doesNotExist();
		assertThat(output).contains("mtls.dev.enabled=true is ignored: mtls.identity and mtls.trust are configured");
	}

	private static final class StubProvider implements WorkloadMaterialProvider {

		@Override
		public WorkloadMaterial get() {
			throw new UnsupportedOperationException();
		}

		@Override
		public void setUpdateListener(BooleanSupplier listener) {
		}

	}

}
