package dev.mtls.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mtls.boot.autoconfigure.forwarded.MtlsForwardedProperties;
import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.dev.DevCertificates;
import dev.mtls.boot.tls.TlsMaterialSource;
import dev.mtls.boot.tls.TlsMaterialSource.IdentitySource;
import dev.mtls.boot.tls.TlsMaterialSource.TrustSource;
import dev.mtls.boot.tls.WorkloadMaterialProvider;
import dev.mtls.boot.trust.ExpectedServerIdentities;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.env.Environment;

/**
 * Maps {@link MtlsProperties} to the {@link TlsMaterialSource} they describe: checks that
 * only one source is configured, chooses (and mints) dev mode certificates, and fails
 * start-up when no identity is configured.
 */
final class TlsMaterialSourceMapper {

	private static final Log logger = LogFactory.getLog(TlsMaterialSourceMapper.class);

	private TlsMaterialSourceMapper() {
	}

	static TlsMaterialSource map(MtlsProperties properties, Environment environment) {
		return map(properties, environment, null);
	}

	/**
	 * Map the properties to a source of material.
	 * @param properties the properties
	 * @param environment the environment
	 * @param workload the workload identity provider when {@code mtls.spiffe.enabled} is
	 * set, {@code null} if none is available
	 * @return the source
	 */
	static TlsMaterialSource map(MtlsProperties properties, Environment environment,
			@Nullable WorkloadMaterialProvider workload) {
		if (!properties.getSpiffe().isEnabled() && !properties.getSpiffe().getExpectedServers().isEmpty()) {
			throw new MtlsConfigurationException("mtls.spiffe.expected-servers", String.join(", ", properties
				.getSpiffe()
				.getExpectedServers()
				.keySet()), "SPIFFE IDs of servers are checked only with mtls.spiffe.enabled=true (the Workload API); "
						+ "without it outbound calls check the server's host name, and these entries would be ignored",
					"Set mtls.spiffe.enabled=true, or remove mtls.spiffe.expected-servers and let the servers' "
							+ "certificates name their hosts.");
		}
		TlsMaterialSource source = properties.getSpiffe().isEnabled() ? mapSpiffe(properties, workload)
				: mapServiceMaterial(properties, environment);
		MtlsForwardedProperties forwarded = properties.getForwarded();
		if (forwarded.isEnabled() && forwarded.getTrust().isConfigured()) {
			MtlsForwardedProperties.Trust trust = forwarded.getTrust();
			if (properties.getSpiffe().isEnabled()) {
				throw forwardedTrustWithSpiffe(trust);
			}
			return source
				.withForwardedTrust(trust("mtls.forwarded.trust", trust.getCertificates(), trust.getTruststore()));
		}
		return source;
	}

	// A CA of mtls.forwarded.trust could write any SPIFFE ID, or any other name an
	// SVID's rules match (DNS names, the SPIRE CA's subject), into its certificates: with
	// SPIFFE, forwarded certificates are validated by trust domain, like a handshake's.
	private static MtlsConfigurationException forwardedTrustWithSpiffe(MtlsForwardedProperties.Trust trust) {
		boolean certificates = !trust.getCertificates().isEmpty();
		return new MtlsConfigurationException(
				certificates ? "mtls.forwarded.trust.certificates" : "mtls.forwarded.trust.truststore.location",
				certificates ? String.join(", ", trust.getCertificates()) : trust.getTruststore().getLocation(),
				"with mtls.spiffe.enabled=true, forwarded client certificates are validated against the trust bundle "
						+ "of their SPIFFE ID's trust domain, as a handshake's are; other CAs for them could vouch for "
						+ "any SPIFFE ID, this workload's own included",
				"Remove mtls.forwarded.trust.*: the proxy's clients need SVIDs of this workload's trust domain or of "
						+ "one federated with it (the agent streams its bundle).");
	}

	private static TlsMaterialSource mapServiceMaterial(MtlsProperties properties, Environment environment) {
		List<String> crls = properties.getRevocation().getCrls();
		String bundle = properties.getBundle();
		if (bundle != null) {
			checkBundleProperties(properties, bundle);
			return TlsMaterialSource.ofBundle(bundle, crls, properties.getPolicy().toCertificatePolicy(),
					properties.getRevocation().toOnlineRevocation());
		}
		IdentitySource identity;
		TrustSource trust;
		if (properties.getDev().isEnabled() && DevMode.isActive(properties)) {
			DevCertificates dev = prepareDevCertificates(properties, environment);
			identity = IdentitySource.pem(location(dev.serverCertificate()), location(dev.serverPrivateKey()), null);
			trust = TrustSource.pem(List.of(location(dev.caCertificate())));
		}
		else {
			if (properties.getDev().isEnabled()) {
				logger.warn("mtls.dev.enabled=true is ignored: mtls.identity and mtls.trust are configured");
			}
			else if (!properties.getIdentity().isConfigured()) {
				throw new MtlsConfigurationException("mtls.identity.certificate", null,
						"mTLS is enabled but no identity is configured: none of mtls.identity.certificate, "
								+ "mtls.identity.keystore.location or mtls.bundle is set, and dev mode is off",
						"Set mtls.identity.certificate and mtls.identity.private-key (or mtls.identity.keystore.location, "
								+ "or mtls.bundle) to this service's certificate and key; or set mtls.dev.enabled=true to "
								+ "mint local development certificates; or set mtls.enabled=false to turn mTLS off.");
			}
			identity = identity(properties.getIdentity());
			trust = trust("mtls.trust", properties.getTrust().getCertificates(), properties.getTrust().getTruststore());
		}
		return TlsMaterialSource.of(identity, trust, crls, properties.getPolicy().toCertificatePolicy(),
				properties.getRevocation().toOnlineRevocation());
	}

	private static TlsMaterialSource mapSpiffe(MtlsProperties properties, @Nullable WorkloadMaterialProvider workload) {
		MtlsProperties.Identity identity = properties.getIdentity();
		MtlsProperties.Trust trust = properties.getTrust();
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put("mtls.spiffe.enabled", true);
			entries.put("mtls.bundle", properties.getBundle());
			entries.put("mtls.identity.certificate", identity.getCertificate());
			entries.put("mtls.identity.private-key", identity.getPrivateKey());
			entries.put("mtls.identity.keystore.location", identity.getKeystore().getLocation());
			entries.put("mtls.trust.certificates", trust.getCertificates().isEmpty() ? null : trust.getCertificates());
			entries.put("mtls.trust.truststore.location", trust.getTruststore().getLocation());
			entries.put("mtls.dev.enabled", properties.getDev().isEnabled() ? true : null);
		});
		if (workload == null) {
			throw new MtlsConfigurationException("mtls.spiffe.enabled", "true",
					"java-spiffe, which speaks the SPIFFE Workload API, is not on the class path",
					"Add the dependencies io.spiffe:java-spiffe-core and io.spiffe:grpc-netty-linux "
							+ "(grpc-netty-macos on macOS), or set mtls.spiffe.enabled=false.");
		}
		return TlsMaterialSource.ofWorkload(workload, expectedServers(properties.getSpiffe().getExpectedServers()),
				properties.getRevocation().getCrls(), properties.getPolicy().toCertificatePolicy(),
				properties.getRevocation().toOnlineRevocation());
	}

	private static ExpectedServerIdentities expectedServers(Map<String, String> byHost) {
		for (Map.Entry<String, String> entry : byHost.entrySet()) {
			try {
				ExpectedServerIdentities.of(Map.of(entry.getKey(), entry.getValue()));
			}
			catch (IllegalArgumentException ex) {
				String property = "mtls.spiffe.expected-servers[%s]".formatted(entry.getKey());
				throw new MtlsConfigurationException(property, entry.getValue(), String.valueOf(ex.getMessage()),
						"Map host patterns (a host, '*.example.org' or '*') to SPIFFE ID patterns, such as " + property
								+ "=spiffe://example.org/ns/*/sa/orders.",
						ex);
			}
		}
		return ExpectedServerIdentities.of(byHost);
	}

	private static void checkBundleProperties(MtlsProperties properties, String bundle) {
		if (bundle.equals(MtlsProperties.DEFAULT_BUNDLE_NAME)) {
			throw new MtlsConfigurationException("mtls.bundle", bundle,
					"'mtls' is the name of the bundle the starter registers",
					"Give the spring.ssl.bundle another name, such as 'service', and set mtls.bundle to it.");
		}
		MtlsProperties.Identity identity = properties.getIdentity();
		MtlsProperties.Trust trust = properties.getTrust();
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put("mtls.bundle", bundle);
			entries.put("mtls.identity.certificate", identity.getCertificate());
			entries.put("mtls.identity.private-key", identity.getPrivateKey());
			entries.put("mtls.identity.keystore.location", identity.getKeystore().getLocation());
			entries.put("mtls.trust.certificates", trust.getCertificates().isEmpty() ? null : trust.getCertificates());
			entries.put("mtls.trust.truststore.location", trust.getTruststore().getLocation());
		});
	}

	private static IdentitySource identity(MtlsProperties.Identity properties) {
		MtlsProperties.Keystore keystore = properties.getKeystore();
		String location = keystore.getLocation();
		if (location == null) {
			return IdentitySource.pem(properties.getCertificate(), properties.getPrivateKey(),
					properties.getPrivateKeyPassword());
		}
		if (properties.isPemConfigured()) {
			throw new MtlsConfigurationException("mtls.identity.keystore.location", location,
					"a key store and a PEM identity (mtls.identity.certificate/.private-key) are both set",
					"Configure the identity either as PEM or as a key store, not both.");
		}
		return IdentitySource.keyStore(location, keystore.getPassword(), keystore.getType(), keystore.getAlias());
	}

	private static TrustSource trust(String prefix, List<String> certificates, MtlsProperties.Truststore truststore) {
		String location = truststore.getLocation();
		if (location == null) {
			return TrustSource.pem(certificates);
		}
		if (!certificates.isEmpty()) {
			throw new MtlsConfigurationException(prefix + ".truststore.location", location,
					"a trust store and PEM certificates (" + prefix + ".certificates) are both set",
					"Configure trust either as PEM certificates or as a trust store, not both.");
		}
		return TrustSource.trustStore(location, truststore.getPassword(), truststore.getType());
	}

	private static DevCertificates prepareDevCertificates(MtlsProperties properties, Environment environment) {
		Path directory = DevMode.directory(properties.getDev(), environment);
		DevCertificates dev = DevCertificates.prepare(directory, properties.getDev().getClients());
		logger.warn(
				"mTLS dev mode: using development certificates from %s (minted now: %s). Never use dev mode in production."
					.formatted(directory,
							dev.getMinted().isEmpty() ? "none, reused" : String.join(", ", dev.getMinted())));
		return dev;
	}

	private static String location(Path path) {
		return "file:" + path.toAbsolutePath();
	}

}
