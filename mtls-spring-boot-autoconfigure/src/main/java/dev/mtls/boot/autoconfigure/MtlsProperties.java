package dev.mtls.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.autoconfigure.actuate.MtlsHealthProperties;
import dev.mtls.boot.autoconfigure.actuate.MtlsManagementProperties;
import dev.mtls.boot.autoconfigure.forwarded.MtlsForwardedProperties;
import dev.mtls.boot.autoconfigure.http.client.MtlsClientProperties;
import dev.mtls.boot.autoconfigure.security.MtlsAuthorizationProperties;
import dev.mtls.boot.autoconfigure.security.MtlsPrincipalProperties;
import dev.mtls.boot.autoconfigure.spiffe.MtlsSpiffeProperties;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.StringUtils;

/**
 * Configuration properties for mutual TLS, bound from {@code mtls.*}: the TLS material
 * here, each other feature in its own type.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "mtls", ignoreUnknownFields = false)
public class MtlsProperties {

	/**
	 * Name of the SSL bundle that the starter registers from 'mtls.identity' and
	 * 'mtls.trust'.
	 */
	public static final String DEFAULT_BUNDLE_NAME = MtlsTlsMaterial.BUNDLE_NAME;

	/**
	 * Whether mutual TLS is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Name of an existing 'spring.ssl.bundle' bundle to use instead of 'mtls.identity'
	 * and 'mtls.trust'.
	 */
	private @Nullable String bundle;

	private final Identity identity = new Identity();

	private final Trust trust = new Trust();

	@NestedConfigurationProperty
	private final MtlsServerProperties server = new MtlsServerProperties();

	@NestedConfigurationProperty
	private final MtlsClientProperties client = new MtlsClientProperties();

	private final Dev dev = new Dev();

	@NestedConfigurationProperty
	private final MtlsPrincipalProperties principal = new MtlsPrincipalProperties();

	@NestedConfigurationProperty
	private final MtlsPolicyProperties policy = new MtlsPolicyProperties();

	private final Reload reload = new Reload();

	@NestedConfigurationProperty
	private final MtlsHealthProperties health = new MtlsHealthProperties();

	@NestedConfigurationProperty
	private final MtlsManagementProperties management = new MtlsManagementProperties();

	@NestedConfigurationProperty
	private final MtlsRevocationProperties revocation = new MtlsRevocationProperties();

	@NestedConfigurationProperty
	private final MtlsAuthorizationProperties authorization = new MtlsAuthorizationProperties();

	@NestedConfigurationProperty
	private final MtlsForwardedProperties forwarded = new MtlsForwardedProperties();

	@NestedConfigurationProperty
	private final MtlsSpiffeProperties spiffe = new MtlsSpiffeProperties();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getBundle() {
		return this.bundle;
	}

	public void setBundle(@Nullable String bundle) {
		this.bundle = unlessBlank(bundle);
	}

	public Identity getIdentity() {
		return this.identity;
	}

	public Trust getTrust() {
		return this.trust;
	}

	public MtlsServerProperties getServer() {
		return this.server;
	}

	public MtlsClientProperties getClient() {
		return this.client;
	}

	public Dev getDev() {
		return this.dev;
	}

	public MtlsPrincipalProperties getPrincipal() {
		return this.principal;
	}

	public MtlsPolicyProperties getPolicy() {
		return this.policy;
	}

	public Reload getReload() {
		return this.reload;
	}

	public MtlsHealthProperties getHealth() {
		return this.health;
	}

	public MtlsManagementProperties getManagement() {
		return this.management;
	}

	public MtlsRevocationProperties getRevocation() {
		return this.revocation;
	}

	public MtlsAuthorizationProperties getAuthorization() {
		return this.authorization;
	}

	public MtlsForwardedProperties getForwarded() {
		return this.forwarded;
	}

	public MtlsSpiffeProperties getSpiffe() {
		return this.spiffe;
	}

	/**
	 * A blank value leaves a property unset, so that a higher property source (an
	 * environment variable, a test) can clear a location configured below it.
	 * @param value the bound value
	 * @return the value, or {@code null} if it is blank
	 */
	static @Nullable String unlessBlank(@Nullable String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	/**
	 * The service's own certificate and private key.
	 */
	public static class Identity {

		/**
		 * PEM certificate chain, leaf first: a location (file:, classpath:) or inline PEM
		 * text.
		 */
		private @Nullable String certificate;

		/**
		 * PEM private key (PKCS#8, PKCS#1 or SEC1, plain or encrypted): a location or
		 * inline PEM text.
		 */
		private @Nullable String privateKey;

		/**
		 * Password of an encrypted private key.
		 */
		private @Nullable String privateKeyPassword;

		private final Keystore keystore = new Keystore();

		public @Nullable String getCertificate() {
			return this.certificate;
		}

		public void setCertificate(@Nullable String certificate) {
			this.certificate = unlessBlank(certificate);
		}

		public @Nullable String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable String privateKey) {
			this.privateKey = unlessBlank(privateKey);
		}

		public @Nullable String getPrivateKeyPassword() {
			return this.privateKeyPassword;
		}

		public void setPrivateKeyPassword(@Nullable String privateKeyPassword) {
			this.privateKeyPassword = unlessBlank(privateKeyPassword);
		}

		public Keystore getKeystore() {
			return this.keystore;
		}

		public boolean isPemConfigured() {
			return this.certificate != null || this.privateKey != null;
		}

		public boolean isConfigured() {
			return isPemConfigured() || this.keystore.getLocation() != null;
		}

	}

	/**
	 * A PKCS12 or JKS key store holding the service's identity.
	 */
	public static class Keystore extends Store {

		/**
		 * Alias of the key entry to use. Needed only when the store holds more than one
		 * key.
		 */
		private @Nullable String alias;

		public @Nullable String getAlias() {
			return this.alias;
		}

		public void setAlias(@Nullable String alias) {
			this.alias = unlessBlank(alias);
		}

	}

	/**
	 * The certificate authorities whose certificates this service trusts.
	 */
	public static class Trust {

		/**
		 * PEM files or directories of trusted CA certificates (every '*.pem' and '*.crt'
		 * inside a directory), or inline PEM text.
		 */
		private List<String> certificates = new ArrayList<>();

		private final Truststore truststore = new Truststore();

		public List<String> getCertificates() {
			return this.certificates;
		}

		public void setCertificates(List<String> certificates) {
			this.certificates = certificates;
		}

		public Truststore getTruststore() {
			return this.truststore;
		}

		public boolean isConfigured() {
			return !this.certificates.isEmpty() || this.truststore.getLocation() != null;
		}

	}

	/**
	 * A PKCS12 or JKS trust store.
	 */
	public static class Truststore extends Store {

	}

	/**
	 * A PKCS12 or JKS store, as Spring Boot's JKS bundles describe key and trust stores
	 * alike.
	 */
	public static class Store {

		/**
		 * Location of the store (file: or classpath:).
		 */
		private @Nullable String location;

		/**
		 * Password of the store; for a key store, also the password of the key entry.
		 */
		private @Nullable String password;

		/**
		 * Type of the store, PKCS12 or JKS. Taken from the file name extension when not
		 * set.
		 */
		private @Nullable String type;

		public @Nullable String getLocation() {
			return this.location;
		}

		public void setLocation(@Nullable String location) {
			this.location = unlessBlank(location);
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getType() {
			return this.type;
		}

		public void setType(@Nullable String type) {
			this.type = unlessBlank(type);
		}

	}

	/**
	 * Development mode: a local certificate authority minted at start-up.
	 */
	public static class Dev {

		/**
		 * Whether to mint a local CA, a server certificate and client certificates at
		 * start-up. Never for production.
		 */
		private boolean enabled;

		/**
		 * Directory for the dev certificates, reused across restarts. Defaults to
		 * '${java.io.tmpdir}/mtls-dev-<user.name>/<spring.application.name>'. It and
		 * every directory above it must be safe from other users.
		 */
		private @Nullable String directory;

		/**
		 * Common names of the client certificates to mint.
		 */
		private List<String> clients = new ArrayList<>(List.of("alice", "bob"));

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

		public List<String> getClients() {
			return this.clients;
		}

		public void setClients(List<String> clients) {
			this.clients = clients;
		}

	}

	/**
	 * Reloading of identity, trust and CRL files when they change.
	 */
	public static class Reload {

		/**
		 * Whether to watch the files (following symbolic links, as Kubernetes swaps them)
		 * and use changed material for new connections, inbound and outbound.
		 */
		private boolean enabled = true;

		/**
		 * How long the files must stay unchanged before they are reloaded.
		 */
		private Duration quietPeriod = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

	}

}
