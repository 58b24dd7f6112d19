package dev.mtls.boot.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.util.Assert;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * A certificate authority for tests, shaped like a production PKI: a root CA (the trust
 * anchor), an issuing CA that signs every persona (chains are sent leaf first, with the
 * issuing CA), a server certificate for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}, and a CRL. Everything is in memory until a {@code write...} method puts
 * PEM, PKCS12 or JKS files into {@link #getDirectory() its directory}.
 * <p>
 * In a test without Spring, declare a parameter of this type with
 * {@code @ExtendWith(TestCertificateAuthorityExtension.class)}; in a Spring test,
 * {@link AutoConfigureTestCertificates @AutoConfigureTestCertificates} creates one for
 * the context ({@link TestCertificates#getAuthority()}).
 *
 * @since 0.1.0
 */
public final class TestCertificateAuthority implements AutoCloseable {

	private static final Duration CRL_VALIDITY = Duration.ofDays(7);

	private static final String TRUST_ALIAS = "mtls-test-root";

	private final CertificateAuthority root;

	private final CertificateAuthority issuer;

	private final IssuedCertificate server;

	private final PrincipalName principalName;

	private final Supplier<@Nullable String> serverUrl;

	private final Set<IssuedCertificate> revoked = new LinkedHashSet<>();

	private final @Nullable Path configuredDirectory;

	private final SingletonSupplier<CertificateAuthority> untrusted = SingletonSupplier
		.of(() -> CertificateAuthority.create("mtls Untrusted Test CA"));

	private @Nullable Path directory;

	private @Nullable String crl;

	private TestCertificateAuthority(@Nullable Path directory, PrincipalName principalName,
			Supplier<@Nullable String> serverUrl) {
		this.serverUrl = serverUrl;
		this.configuredDirectory = directory;
		this.principalName = principalName;
		this.root = CertificateAuthority.create("mtls Test Root CA");
		this.issuer = this.root.certificate("mtls Test Issuing CA").ca().issue().asCertificateAuthority();
		this.server = this.issuer.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1", "::1")
			.serverAuth()
			.clientAuth()
			.issue();
	}

	/**
	 * Create a test CA in memory; files it writes go to a new temporary directory,
	 * deleted on {@link #close()}.
	 * @return the CA
	 */
	public static TestCertificateAuthority create() {
		return new TestCertificateAuthority(null, PrincipalName.CN, () -> null);
	}

	/**
	 * Create a test CA that writes its files into the given directory (kept on close).
	 * @param directory an existing directory
	 * @return the CA
	 */
	public static TestCertificateAuthority create(Path directory) {
		Assert.isTrue(Files.isDirectory(directory), () -> "Not a directory: " + directory);
		return new TestCertificateAuthority(directory, PrincipalName.CN, () -> null);
	}

	static TestCertificateAuthority create(PrincipalName principalName, Supplier<@Nullable String> serverUrl) {
		return new TestCertificateAuthority(null, principalName, serverUrl);
	}

	/**
	 * Issue a client certificate with the given common name.
	 * @param commonName the common name
	 * @return the persona
	 */
	public TestCertificate client(String commonName) {
		return client((spec) -> spec.commonName(commonName));
	}

	/**
	 * Issue a certificate as the spec describes.
	 * @param spec customizes the certificate
	 * @return the persona
	 */
	public TestCertificate client(Consumer<TestCertificateSpec> spec) {
		TestCertificateSpec customized = new TestCertificateSpec();
		spec.accept(customized);
		CertificateAuthority signer = customized.isUntrusted() ? this.untrusted.obtain() : this.issuer;
		return adopt(customized.toRequest(signer).issue());
	}

	Supplier<@Nullable String> serverUrl() {
		return this.serverUrl;
	}

	/**
	 * Issue a new certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}
	 * with the serverAuth and clientAuth usages, such as to rotate a server's identity.
	 * @return the certificate
	 */
	public TestCertificate newServerCertificate() {
		return new TestCertificate(this.issuer.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1", "::1")
			.serverAuth()
			.clientAuth()
			.issue(), this, this.principalName, this.serverUrl);
	}

	/**
	 * Return the server certificate minted with the CA.
	 * @return the server certificate
	 */
	public TestCertificate getServerCertificate() {
		return adopt(this.server);
	}

	/**
	 * Revoke a certificate: the next {@link #getCrlPem() CRL} lists it.
	 * @param certificate a certificate of this CA
	 */
	public synchronized void revoke(TestCertificate certificate) {
		Assert.isTrue(isIssued(certificate.getCertificate()), () -> certificate + " is not issued by this test CA");
		this.revoked.add(certificate.issued());
		this.crl = null;
	}

	private boolean isIssued(X509Certificate certificate) {
		try {
			// Every test CA has the same name: only the signature tells this one's apart.
			certificate.verify(this.issuer.getCertificate().getPublicKey());
			return true;
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	/**
	 * Return the trust anchor: the root CA certificate.
	 * @return the root certificate
	 */
	public X509Certificate getCaCertificate() {
		return this.root.getCertificate();
	}

	/**
	 * Return the root CA certificate as PEM text, what a service trusts.
	 * @return the PEM certificate
	 */
	public String getCaCertificatePem() {
		return this.root.asIssued().certificatePem();
	}

	/**
	 * Return the issuing CA's current CRL as PEM text, listing every revoked certificate.
	 * @return the PEM CRL
	 */
	public synchronized String getCrlPem() {
		String current = this.crl;
		if (current == null) {
			current = this.issuer.crl(CRL_VALIDITY, this.revoked.toArray(IssuedCertificate[]::new));
			this.crl = current;
		}
		return current;
	}

	/**
	 * Return an in-memory trust store holding the root CA.
	 * @return the trust store
	 */
	public KeyStore getTrustStore() {
		return trustStore("JKS");
	}

	private KeyStore trustStore(String type) {
		try {
			KeyStore store = KeyStore.getInstance(type);
			store.load(null, null);
			store.setCertificateEntry(TRUST_ALIAS, getCaCertificate());
			return store;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to create a " + type + " trust store", ex);
		}
	}

	/**
	 * Return an SSL bundle that trusts the test CA and presents no certificate: a client
	 * without a certificate, or a server's trust.
	 * @return the bundle
	 */
	public SslBundle trustOnlySslBundle() {
		return SslBundle.of(SslStoreBundle.of(null, null, getTrustStore()));
	}

	/**
	 * Return the issuing CA as the starter's minting API, for certificates a
	 * {@link TestCertificateSpec} cannot describe (OCSP responder URLs, CRL distribution
	 * points, organizations, deeper chains); what it issues chains to the test CA.
	 * @return the issuing CA
	 */
	public CertificateAuthority getIssuingAuthority() {
		return this.issuer;
	}

	/**
	 * Return the root CA (the trust anchor) as the starter's minting API, such as to
	 * issue another intermediate CA.
	 * @return the root CA
	 */
	public CertificateAuthority getRootAuthority() {
		return this.root;
	}

	/**
	 * Write the server certificate, its key and the CA certificate as PEM files
	 * ({@code server.crt}, {@code server.key}, {@code ca.crt}) and return the properties
	 * that point a service on the starter at them, as {@code name=value} pairs for
	 * {@code @SpringBootTest(properties = ...)} or an {@code ApplicationContextRunner}.
	 * @param more further {@code name=value} pairs to append
	 * @return {@code mtls.identity.certificate}, {@code mtls.identity.private-key} and
	 * {@code mtls.trust.certificates}, then {@code more}
	 */
	public String[] writeServiceProperties(String... more) {
		PemFiles server = writePem("server", getServerCertificate());
		List<String> properties = new ArrayList<>(List.of("mtls.identity.certificate=" + server.certificateLocation(),
				"mtls.identity.private-key=" + server.privateKeyLocation(),
				"mtls.trust.certificates=" + fileLocation(writeCaCertificate().getFileName().toString())));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	/**
	 * Return a file of {@link #getDirectory() the directory} as a Spring resource
	 * location.
	 * @param fileName the file's name
	 * @return {@code file:} and the file's absolute path
	 */
	public String fileLocation(String fileName) {
		return "file:" + getDirectory().resolve(fileName).toAbsolutePath();
	}

	/**
	 * Treat a certificate minted through {@link #getIssuingAuthority()} or
	 * {@link #getRootAuthority()} as a persona, for its SSL bundle, clients and files.
	 * @param certificate the certificate and its key
	 * @return the persona
	 */
	public TestCertificate adopt(IssuedCertificate certificate) {
		return new TestCertificate(certificate, this, this.principalName, this.serverUrl);
	}

	/**
	 * Return the directory this CA writes its files to, created on first use.
	 * @return the directory
	 */
	public synchronized Path getDirectory() {
		Path current = this.directory;
		if (current == null) {
			current = (this.configuredDirectory != null) ? this.configuredDirectory : createTemporaryDirectory();
			this.directory = current;
		}
		return current;
	}

	/**
	 * Write the root CA certificate as PEM ({@code ca.crt}), for
	 * {@code mtls.trust.certificates}.
	 * @return the file
	 */
	public Path writeCaCertificate() {
		return write("ca.crt", getCaCertificatePem());
	}

	/**
	 * Write the current CRL as PEM ({@code ca.crl}), for {@code mtls.revocation.crls}.
	 * @return the file
	 */
	public Path writeCrl() {
		return write("ca.crl", getCrlPem());
	}

	/**
	 * Write a certificate chain and its key as PEM: {@code <name>.crt} and
	 * {@code <name>.key} (readable by the owner only). Each file is replaced in one move,
	 * so a file watcher never reads half of it: write a new certificate under the same
	 * name to rotate an identity.
	 * @param name the files' base name
	 * @param certificate the certificate
	 * @return the two files
	 */
	public PemFiles writePem(String name, TestCertificate certificate) {
		Path key = replace(name + ".key", (path) -> certificate.issued().writePrivateKey(path));
		Path chain = write(name + ".crt", certificate.getCertificatePem());
		return new PemFiles(chain, key);
	}

	/**
	 * Write a certificate chain and its key to a PKCS12 key store, {@code <name>.p12},
	 * with the alias {@code client}.
	 * @param name the file's base name
	 * @param certificate the certificate
	 * @param password the store's and the key's password
	 * @return the file
	 */
	public Path writePkcs12(String name, TestCertificate certificate, String password) {
		return replace(name + ".p12", (path) -> certificate.issued().writeKeyStore(path, "PKCS12", "client", password));
	}

	/**
	 * Write a certificate chain and its key to a JKS key store, {@code <name>.jks}, with
	 * the alias {@code client}.
	 * @param name the file's base name
	 * @param certificate the certificate
	 * @param password the store's and the key's password
	 * @return the file
	 */
	public Path writeJks(String name, TestCertificate certificate, String password) {
		return replace(name + ".jks", (path) -> certificate.issued().writeKeyStore(path, "JKS", "client", password));
	}

	/**
	 * Write a trust store holding the root CA: {@code <name>.p12} for {@code PKCS12},
	 * {@code <name>.jks} for {@code JKS}.
	 * @param name the file's base name
	 * @param type {@code PKCS12} or {@code JKS}
	 * @param password the store's password
	 * @return the file
	 */
	public Path writeTrustStore(String name, String type, String password) {
		String fileName = name + ("PKCS12".equalsIgnoreCase(type) ? ".p12" : "." + type.toLowerCase(Locale.ROOT));
		return replace(fileName, (path) -> {
			try (OutputStream out = Files.newOutputStream(path)) {
				trustStore(type).store(out, password.toCharArray());
			}
			catch (IOException | GeneralSecurityException ex) {
				throw new IllegalStateException("Unable to write trust store " + path, ex);
			}
		});
	}

	/**
	 * Delete the temporary directory this CA created, if any; a directory given to
	 * {@link #create(Path)} is kept.
	 */
	@Override
	public synchronized void close() {
		Path current = this.directory;
		this.directory = null;
		if (current != null && this.configuredDirectory == null) {
			try {
				FileSystemUtils.deleteRecursively(current);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Unable to delete " + current, ex);
			}
		}
	}

	/**
	 * Write any text into {@link #getDirectory() the directory}, replacing the file in
	 * one move: a combined trust bundle, a corrupt file for a test of bad input, a
	 * configuration file.
	 * @param fileName the file's name
	 * @param content the text, written as UTF-8
	 * @return the file
	 */
	public Path write(String fileName, String content) {
		return replace(fileName, (path) -> {
			try {
				Files.writeString(path, content, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Unable to write " + path, ex);
			}
		});
	}

	/**
	 * Write a file next to its target and move it into place, atomically where the file
	 * system can.
	 * @param fileName the target's name in the directory
	 * @param writer writes the file it is given
	 * @return the target
	 */
	private Path replace(String fileName, Consumer<Path> writer) {
		Path target = getDirectory().resolve(fileName);
		Path temporary = null;
		try {
			// A name of its own, so that two writes of one file never share it.
			temporary = Files.createTempFile(getDirectory(), "." + fileName, ".tmp");
			Files.delete(temporary);
			writer.accept(temporary);
			try {
				return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING,
						StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to write " + target, ex);
		}
		finally {
			deleteQuietly(temporary);
		}
	}

	private static void deleteQuietly(@Nullable Path path) {
		if (path != null) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				// Left behind in a test directory: harmless.
			}
		}
	}

	private static Path createTemporaryDirectory() {
		try {
			return Files.createTempDirectory("mtls-test-ca");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to create a directory for test certificates", ex);
		}
	}

	/**
	 * A certificate chain and its private key written as PEM files.
	 *
	 * @param certificate the chain file, leaf first
	 * @param privateKey the key file
	 * @since 0.1.0
	 */
	public record PemFiles(Path certificate, Path privateKey) {

		/**
		 * Return the chain file as a Spring resource location ({@code file:...}).
		 * @return the location
		 */
		public String certificateLocation() {
			return "file:" + this.certificate.toAbsolutePath();
		}

		/**
		 * Return the key file as a Spring resource location ({@code file:...}).
		 * @return the location
		 */
		public String privateKeyLocation() {
			return "file:" + this.privateKey.toAbsolutePath();
		}

	}

}
