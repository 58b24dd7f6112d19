package dev.mtls.boot.autoconfigure;

import dev.mtls.boot.tls.TlsDefaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.security.DefaultAccess;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.OnlineRevocation;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.Delimiter;
import org.springframework.boot.web.server.Ssl;

/**
 * Configuration properties for mutual TLS, bound from {@code mtls.*}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "mtls", ignoreUnknownFields = false)
public class MtlsProperties {

	/**
	 * Name of the SSL bundle that the starter registers from 'mtls.identity' and
	 * 'mtls.trust'.
	 */
	public static final String DEFAULT_BUNDLE_NAME = "mtls";

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

	private final Server server = new Server();

	private final Client client = new Client();

	private final Dev dev = new Dev();

	private final Principal principal = new Principal();

	private final Policy policy = new Policy();

	private final Reload reload = new Reload();

	private final Health health = new Health();

	private final Management management = new Management();

	private final Revocation revocation = new Revocation();

	private final Authorization authorization = new Authorization();

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
		this.bundle = bundle;
	}

	public Identity getIdentity() {
		return this.identity;
	}

	public Trust getTrust() {
		return this.trust;
	}

	public Server getServer() {
		return this.server;
	}

	public Client getClient() {
		return this.client;
	}

	public Dev getDev() {
		return this.dev;
	}

	public Principal getPrincipal() {
		return this.principal;
	}

	public Policy getPolicy() {
		return this.policy;
	}

	public Reload getReload() {
		return this.reload;
	}

	public Health getHealth() {
		return this.health;
	}

	public Management getManagement() {
		return this.management;
	}

	public Revocation getRevocation() {
		return this.revocation;
	}

	public Authorization getAuthorization() {
		return this.authorization;
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
			this.certificate = certificate;
		}

		public @Nullable String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable String privateKey) {
			this.privateKey = privateKey;
		}

		public @Nullable String getPrivateKeyPassword() {
			return this.privateKeyPassword;
		}

		public void setPrivateKeyPassword(@Nullable String privateKeyPassword) {
			this.privateKeyPassword = privateKeyPassword;
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
	public static class Keystore {

		/**
		 * Location of the key store (file: or classpath:).
		 */
		private @Nullable String location;

		/**
		 * Password of the key store, also used for the key entry.
		 */
		private @Nullable String password;

		/**
		 * Type of the key store, PKCS12 or JKS. Taken from the file name extension when not
		 * set.
		 */
		private @Nullable String type;

		/**
		 * Alias of the key entry to use. Needed only when the store holds more than one
		 * key.
		 */
		private @Nullable String alias;

		public @Nullable String getLocation() {
			return this.location;
		}

		public void setLocation(@Nullable String location) {
			this.location = location;
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
			this.type = type;
		}

		public @Nullable String getAlias() {
			return this.alias;
		}

		public void setAlias(@Nullable String alias) {
			this.alias = alias;
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
	public static class Truststore {

		/**
		 * Location of the trust store (file: or classpath:).
		 */
		private @Nullable String location;

		/**
		 * Password of the trust store.
		 */
		private @Nullable String password;

		/**
		 * Type of the trust store, PKCS12 or JKS. Taken from the file name extension when
		 * not set.
		 */
		private @Nullable String type;

		public @Nullable String getLocation() {
			return this.location;
		}

		public void setLocation(@Nullable String location) {
			this.location = location;
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
			this.type = type;
		}

	}

	/**
	 * TLS settings of the embedded web server.
	 */
	public static class Server {

		/**
		 * Whether the server needs, wants or does not request a client certificate.
		 */
		private Ssl.ClientAuth clientAuth = Ssl.ClientAuth.NEED;

		/**
		 * Enabled TLS protocols.
		 */
		private List<String> protocols = new ArrayList<>(TlsDefaults.PROTOCOLS);

		/**
		 * Enabled TLS 1.2 cipher suites (IANA names). TLS 1.3 suites, all AEAD, are always
		 * enabled with TLS 1.3. Defaults to Mozilla's "intermediate" ECDHE suites with
		 * AES-GCM or ChaCha20-Poly1305.
		 */
		private List<String> cipherSuites = new ArrayList<>(TlsDefaults.TLS12_CIPHER_SUITES);

		/**
		 * TLS implementation of the server connector: the JDK's, or BoringSSL through
		 * Conscrypt (add org.conscrypt:conscrypt-openjdk-uber), which needs about half the
		 * CPU per handshake.
		 */
		private Engine engine = Engine.JDK;

		public Engine getEngine() {
			return this.engine;
		}

		public void setEngine(Engine engine) {
			this.engine = engine;
		}

		public Ssl.ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(Ssl.ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		public List<String> getProtocols() {
			return this.protocols;
		}

		public void setProtocols(List<String> protocols) {
			this.protocols = protocols;
		}

		public List<String> getCipherSuites() {
			return this.cipherSuites;
		}

		public void setCipherSuites(List<String> cipherSuites) {
			this.cipherSuites = cipherSuites;
		}

	}

	/**
	 * TLS implementations for the server connector.
	 */
	public enum Engine {

		/**
		 * The JDK's own TLS (SunJSSE).
		 */
		JDK,

		/**
		 * BoringSSL through Conscrypt, an optional dependency, scoped to the connector.
		 */
		CONSCRYPT

	}

	/**
	 * Outbound HTTP clients.
	 */
	public static class Client {

		/**
		 * Whether auto-configured HTTP clients (RestClient, RestTemplate, WebClient, HTTP
		 * service clients) present the identity and trust only 'mtls.trust'.
		 */
		private boolean enabled = true;

		/**
		 * Whether outbound calls verify that the server's certificate matches the host
		 * name.
		 */
		private boolean hostnameVerification = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isHostnameVerification() {
			return this.hostnameVerification;
		}

		public void setHostnameVerification(boolean hostnameVerification) {
			this.hostnameVerification = hostnameVerification;
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
		 * '${java.io.tmpdir}/mtls-dev/<spring.application.name>'.
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
	 * How a client certificate becomes a Spring Security principal.
	 */
	public static class Principal {

		/**
		 * Certificate attribute that names the principal: cn, subject, spiffe-id, dns, uri or
		 * email. A certificate without it is not authenticated.
		 */
		private PrincipalName name = PrincipalName.CN;

		/**
		 * Authorities granted by identity pattern: every entry whose 'identity' matches adds
		 * its 'grant'.
		 */
		private List<AuthorityGrant> authorities = new ArrayList<>();

		public PrincipalName getName() {
			return this.name;
		}

		public void setName(PrincipalName name) {
			this.name = name;
		}

		public List<AuthorityGrant> getAuthorities() {
			return this.authorities;
		}

		public void setAuthorities(List<AuthorityGrant> authorities) {
			this.authorities = authorities;
		}

	}

	/**
	 * Authorities granted to the certificates an identity pattern matches.
	 */
	public static class AuthorityGrant {

		/**
		 * Identity pattern, such as 'CN=ops,O=Acme', 'spiffe://acme.org/ns/ops/**' or
		 * 'cn:orders-*'.
		 */
		private @Nullable String identity;

		/**
		 * Authorities to grant, such as ROLE_ADMIN.
		 */
		private List<String> grant = new ArrayList<>();

		public @Nullable String getIdentity() {
			return this.identity;
		}

		public void setIdentity(@Nullable String identity) {
			this.identity = identity;
		}

		public List<String> getGrant() {
			return this.grant;
		}

		public void setGrant(List<String> grant) {
			this.grant = grant;
		}

	}

	/**
	 * Authorization of requests by the caller's certificate identity.
	 */
	public static class Authorization {

		private DefaultAccess defaultAccess = DefaultAccess.AUTHENTICATED;

		/**
		 * Whether the default security filter chain checks CSRF tokens (for browser clients
		 * holding certificates).
		 */
		private boolean csrf;

		/**
		 * Ordered rules; the first whose paths and methods match a request decides.
		 */
		private List<Rule> rules = new ArrayList<>();

		/**
		 * Return what requests that no rule matches get: authenticated, deny or permit.
		 * @return the default access
		 */
		public DefaultAccess getDefault() {
			return this.defaultAccess;
		}

		public void setDefault(DefaultAccess defaultAccess) {
			this.defaultAccess = defaultAccess;
		}

		public boolean isCsrf() {
			return this.csrf;
		}

		public void setCsrf(boolean csrf) {
			this.csrf = csrf;
		}

		public List<Rule> getRules() {
			return this.rules;
		}

		public void setRules(List<Rule> rules) {
			this.rules = rules;
		}

	}

	/**
	 * One authorization rule.
	 */
	public static class Rule {

		/**
		 * Path patterns (Spring PathPattern syntax, within the application), any of which
		 * matches.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * HTTP methods, any of which matches. All methods when empty.
		 */
		private List<String> methods = new ArrayList<>();

		/**
		 * Identity patterns, any of which permits. A scalar value is one pattern, commas
		 * included.
		 */
		@Delimiter(Delimiter.NONE)
		private List<String> allow = new ArrayList<>();

		/**
		 * Whether the rule permits every request, with or without a certificate.
		 */
		private boolean permitAll;

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		public List<String> getAllow() {
			return this.allow;
		}

		public void setAllow(List<String> allow) {
			this.allow = allow;
		}

		public boolean isPermitAll() {
			return this.permitAll;
		}

		public void setPermitAll(boolean permitAll) {
			this.permitAll = permitAll;
		}

	}

	/**
	 * What peer certificates must satisfy beyond a trusted chain.
	 */
	public static class Policy {

		/**
		 * Whether a client certificate with an extended key usage extension must list
		 * clientAuth (a server certificate, serverAuth), and 'any' usage is refused.
		 */
		private boolean requireClientAuthUsage = true;

		/**
		 * Smallest RSA key, in bits, accepted anywhere in a peer's path (trust anchor
		 * included).
		 */
		private int minRsaKeySize = 2048;

		/**
		 * Smallest EC key, in bits, accepted anywhere in a peer's path.
		 */
		private int minEcKeySize = 256;

		/**
		 * Whether SHA-1 (or weaker) signatures are accepted in a peer's path.
		 */
		private boolean allowSha1;

		/**
		 * Most certificates a peer's path may hold below its trust anchor, leaf included.
		 */
		private int maxChainLength = 5;

		/**
		 * Whether an expired or not yet valid trust anchor is refused.
		 */
		private boolean checkTrustAnchorValidity = true;

		/**
		 * Whether RFC 5280 profile rules the JDK leaves out are enforced: serial numbers,
		 * key identifiers, CA extensions of trust anchors, no CA key usage or name
		 * constraints in end entities, named EC curves, well-formed extensions.
		 */
		private boolean strictStructure = true;

		public boolean isRequireClientAuthUsage() {
			return this.requireClientAuthUsage;
		}

		public void setRequireClientAuthUsage(boolean requireClientAuthUsage) {
			this.requireClientAuthUsage = requireClientAuthUsage;
		}

		public int getMinRsaKeySize() {
			return this.minRsaKeySize;
		}

		public void setMinRsaKeySize(int minRsaKeySize) {
			this.minRsaKeySize = minRsaKeySize;
		}

		public int getMinEcKeySize() {
			return this.minEcKeySize;
		}

		public void setMinEcKeySize(int minEcKeySize) {
			this.minEcKeySize = minEcKeySize;
		}

		public boolean isAllowSha1() {
			return this.allowSha1;
		}

		public void setAllowSha1(boolean allowSha1) {
			this.allowSha1 = allowSha1;
		}

		public int getMaxChainLength() {
			return this.maxChainLength;
		}

		public void setMaxChainLength(int maxChainLength) {
			this.maxChainLength = maxChainLength;
		}

		public boolean isCheckTrustAnchorValidity() {
			return this.checkTrustAnchorValidity;
		}

		public void setCheckTrustAnchorValidity(boolean checkTrustAnchorValidity) {
			this.checkTrustAnchorValidity = checkTrustAnchorValidity;
		}

		public boolean isStrictStructure() {
			return this.strictStructure;
		}

		public void setStrictStructure(boolean strictStructure) {
			this.strictStructure = strictStructure;
		}

		public CertificatePolicy toCertificatePolicy() {
			return new CertificatePolicy(this.requireClientAuthUsage, this.minRsaKeySize, this.minEcKeySize,
					this.allowSha1, this.maxChainLength, this.checkTrustAnchorValidity, this.strictStructure);
		}

	}

	/**
	 * Revocation checking of peer certificates.
	 */
	public static class Revocation {

		/**
		 * CRL files (PEM or DER), each applying to the certificates of its issuer; a CA
		 * without a CRL is not refused wholesale.
		 */
		private List<String> crls = new ArrayList<>();

		/**
		 * Whether to ask the OCSP responder named in a peer's certificate (authority
		 * information access) whether it is revoked.
		 */
		private boolean ocsp;

		/**
		 * Whether to fetch CRLs from the distribution points named in a peer's certificate.
		 */
		private boolean distributionPoints;

		/**
		 * Whether a peer passes (with a warning) when its OCSP responder or CRL distribution
		 * point cannot be reached, rather than being refused.
		 */
		private boolean softFail;

		/**
		 * Connect and read timeout of OCSP and CRL requests. Applied JVM-wide through the
		 * JDK's system properties unless those are set.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * How long a validation verdict is reused for the same certificate chain.
		 */
		private Duration cacheTtl = Duration.ofMinutes(5);

		public List<String> getCrls() {
			return this.crls;
		}

		public void setCrls(List<String> crls) {
			this.crls = crls;
		}

		public boolean isOcsp() {
			return this.ocsp;
		}

		public void setOcsp(boolean ocsp) {
			this.ocsp = ocsp;
		}

		public boolean isDistributionPoints() {
			return this.distributionPoints;
		}

		public void setDistributionPoints(boolean distributionPoints) {
			this.distributionPoints = distributionPoints;
		}

		public boolean isSoftFail() {
			return this.softFail;
		}

		public void setSoftFail(boolean softFail) {
			this.softFail = softFail;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public OnlineRevocation toOnlineRevocation() {
			return new OnlineRevocation(this.ocsp, this.distributionPoints, this.softFail, this.timeout, this.cacheTtl);
		}

	}

	/**
	 * Reloading of identity, trust and CRL files when they change.
	 */
	public static class Reload {

		/**
		 * Whether to watch the files (following symbolic links, as Kubernetes swaps them) and
		 * use changed material for new connections, inbound and outbound.
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

	/**
	 * The mtls health component.
	 */
	public static class Health {

		/**
		 * How long before a certificate of the identity or trust expires the health lists it
		 * under 'expiringCertificates'.
		 */
		private Duration expiryWarning = Duration.ofDays(14);

		/**
		 * Health status while a certificate expires within the expiry warning, such as UP,
		 * OUT_OF_SERVICE, or a status of your own listed in
		 * 'management.endpoint.health.status.order'.
		 */
		private String expiringStatus = "UP";

		public Duration getExpiryWarning() {
			return this.expiryWarning;
		}

		public void setExpiryWarning(Duration expiryWarning) {
			this.expiryWarning = expiryWarning;
		}

		public String getExpiringStatus() {
			return this.expiringStatus;
		}

		public void setExpiringStatus(String expiringStatus) {
			this.expiringStatus = expiringStatus;
		}

	}

	/**
	 * TLS of a separate management server ('management.server.port').
	 */
	public static class Management {

		/**
		 * Whether the management server needs, wants or does not request a client
		 * certificate. Defaults to none, so that probes need no certificate.
		 */
		private Ssl.ClientAuth clientAuth = Ssl.ClientAuth.NONE;

		public Ssl.ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(Ssl.ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

	}

}
