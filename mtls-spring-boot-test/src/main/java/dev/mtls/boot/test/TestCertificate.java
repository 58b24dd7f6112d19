package dev.mtls.boot.test;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.pki.IssuedCertificate.KeyFormat;
import dev.mtls.boot.tls.FixedManagerFactories;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.client.RestClient;

/**
 * A test persona: a certificate minted by a {@link TestCertificateAuthority}, with its
 * private key, in every form a test needs: the chain, PEM text, a key store, an
 * {@link SslBundle} for Boot's HTTP clients, and ready clients that present it to the
 * server under test.
 *
 * @since 0.1.0
 * @see TestCertificates
 */
public final class TestCertificate {

	private static final String IN_MEMORY_PASSWORD = "test-certificate";

	private final IssuedCertificate certificate;

	private final TestCertificateAuthority authority;

	private final PrincipalName principalName;

	private final Supplier<@Nullable String> serverUrl;

	TestCertificate(IssuedCertificate certificate, TestCertificateAuthority authority, PrincipalName principalName,
			Supplier<@Nullable String> serverUrl) {
		this.certificate = certificate;
		this.authority = authority;
		this.principalName = principalName;
		this.serverUrl = serverUrl;
	}

	/**
	 * Return the certificate chain the persona presents, leaf first, up to but not
	 * including the root CA.
	 * @return the chain
	 */
	public List<X509Certificate> getChain() {
		return this.certificate.getChain();
	}

	/**
	 * Return the persona's own (leaf) certificate.
	 * @return the certificate
	 */
	public X509Certificate getCertificate() {
		return this.certificate.getCertificate();
	}

	/**
	 * Return the persona's private key.
	 * @return the private key
	 */
	public PrivateKey getPrivateKey() {
		return this.certificate.getPrivateKey();
	}

	/**
	 * Return the identity the starter builds from this certificate, named by the test
	 * context's {@code mtls.principal.name}.
	 * @return the identity
	 * @throws dev.mtls.boot.identity.MissingIdentityAttributeException if the certificate
	 * lacks the attribute that names principals, so the starter does not authenticate it
	 */
	public CertificateIdentity getIdentity() {
		return CertificateIdentity.of(getChain(), this.principalName);
	}

	/**
	 * Return the chain as PEM text, leaf first.
	 * @return the PEM certificates
	 */
	public String getCertificatePem() {
		return this.certificate.certificatePem();
	}

	/**
	 * Return the private key as unencrypted PKCS#8 PEM text.
	 * @return the PEM private key
	 */
	public String getPrivateKeyPem() {
		return this.certificate.privateKeyPem();
	}

	/**
	 * Return the private key as PKCS#8 PEM text encrypted with a password (AES-256-CBC),
	 * for {@code mtls.identity.private-key-password}.
	 * @param password the password
	 * @return the encrypted PEM private key
	 */
	public String getEncryptedPrivateKeyPem(String password) {
		return this.certificate.privateKeyPem(KeyFormat.PKCS8, password);
	}

	/**
	 * Return an in-memory PKCS12 key store holding the key and chain under the alias
	 * {@code client}.
	 * @param password the store's and the key's password
	 * @return the key store
	 */
	public KeyStore getKeyStore(String password) {
		return this.certificate.toKeyStore("PKCS12", PersonaKeyManager.ALIAS, password);
	}

	/**
	 * Return this certificate as key material and the test CA as trust, for any Boot HTTP
	 * client, for example through {@code HttpClientSettings.ofSslBundle(bundle)}.
	 * Servers' host names are verified.
	 * @return the bundle
	 */
	public SslBundle sslBundle() {
		// JKS: an in-memory store needs none of PKCS12's key derivation.
		KeyStore keys = this.certificate.toKeyStore("JKS", PersonaKeyManager.ALIAS, IN_MEMORY_PASSWORD);
		SslStoreBundle stores = SslStoreBundle.of(keys, IN_MEMORY_PASSWORD, this.authority.getTrustStore());
		SslBundleKey key = SslBundleKey.of(IN_MEMORY_PASSWORD, PersonaKeyManager.ALIAS);
		// Boot's trust from the stores; the key manager presents the persona whatever CAs
		// the server names.
		SslManagerBundle managers = SslManagerBundle.of(
				FixedManagerFactories
					.forKeyManager(new PersonaKeyManager(getChain().toArray(X509Certificate[]::new), getPrivateKey())),
				SslManagerBundle.from(stores, key).getTrustManagerFactory());
		return SslBundle.of(stores, key, SslOptions.NONE, SslBundle.DEFAULT_PROTOCOL, managers);
	}

	/**
	 * Return a {@link RestClient} that presents this certificate to the server under
	 * test, at {@code https://localhost:<port>}: the test must run a server
	 * ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}). Each call builds a new
	 * client, with its own connections.
	 * @return the client
	 */
	public RestClient restClient() {
		return restClient(ServerClients.requireServerUrl(this.serverUrl, "TestCertificate.restClient()"));
	}

	/**
	 * Return a {@link RestClient} that presents this certificate to the given base URL.
	 * @param baseUrl the server's base URL, such as {@code https://localhost:8443}
	 * @return the client
	 */
	public RestClient restClient(String baseUrl) {
		return ServerClients.restClient(baseUrl, sslBundle());
	}

	/**
	 * Return a {@link RestTestClient} that presents this certificate to the server under
	 * test, at {@code https://localhost:<port>}: the test must run a server
	 * ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}).
	 * @return the client
	 */
	public RestTestClient restTestClient() {
		return restTestClient(ServerClients.requireServerUrl(this.serverUrl, "TestCertificate.restTestClient()"));
	}

	/**
	 * Return a {@link RestTestClient} that presents this certificate to the given base
	 * URL.
	 * @param baseUrl the server's base URL, such as {@code https://localhost:8443}
	 * @return the client
	 */
	public RestTestClient restTestClient(String baseUrl) {
		return ServerClients.restTestClient(baseUrl, sslBundle());
	}

	IssuedCertificate issued() {
		return this.certificate;
	}

	@Override
	public String toString() {
		return "TestCertificate '" + CertificateText.escape(getCertificate().getSubjectX500Principal().getName())
				+ "' (serial " + getCertificate().getSerialNumber().toString(16) + ")";
	}

}
