package dev.mtls.boot.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.CertificateRequest;
import dev.mtls.boot.pki.IssuedCertificate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * The certificates of dev mode in one directory: a CA ({@code ca.crt}), a server
 * certificate for localhost ({@code server.crt}, {@code server.key}) usable as a client
 * too, and client certificates ({@code <name>.crt}, {@code <name>.key},
 * {@code <name>.p12} with password {@value #KEY_STORE_PASSWORD}); a client named by a
 * SPIFFE ID gets it as URI SAN and is named by its last path segment. Files still valid
 * for another day are reused.
 *
 * @since 0.1.0
 */
public final class DevCertificates {

	/**
	 * Password of the client PKCS12 files.
	 */
	public static final String KEY_STORE_PASSWORD = "changeit";

	private static final Duration MINIMUM_REMAINING_VALIDITY = Duration.ofDays(1);

	private static final Log logger = LogFactory.getLog(DevCertificates.class);

	private final Path directory;

	private final List<String> minted = new ArrayList<>();

	private DevCertificates(Path directory) {
		this.directory = directory;
	}

	/**
	 * Mint, or reuse, the dev certificates in a directory.
	 * @param directory where the files live
	 * @param clients the common names of the client certificates
	 * @return the prepared certificates
	 */
	public static DevCertificates prepare(Path directory, List<String> clients) {
		DevCertificates certificates = new DevCertificates(directory);
		certificates.prepare(clients);
		return certificates;
	}

	private void prepare(List<String> clients) {
		try {
			createPrivateDirectory();
			CertificateAuthority ca = loadUsable(caCertificate(), file("ca.key"), null);
			if (ca == null || loadUsable(serverCertificate(), serverPrivateKey(), ca) == null) {
				ca = CertificateAuthority.create("mtls dev CA");
				ca.asIssued().writeCertificate(caCertificate());
				ca.asIssued().writePrivateKey(file("ca.key"));
				IssuedCertificate server = ca.certificate("localhost")
					.dnsNames("localhost")
					.ipAddresses("127.0.0.1", "::1")
					.serverAuth()
					.clientAuth()
					.issue();
				server.writeCertificate(serverCertificate());
				server.writePrivateKey(serverPrivateKey());
				this.minted.add("ca");
				this.minted.add("server");
			}
			for (String client : clients) {
				if (loadUsable(clientCertificate(client), clientPrivateKey(client), ca) == null
						|| !Files.exists(clientKeyStore(client))) {
					CertificateRequest request = ca.certificate(baseName(client)).clientAuth();
					if (isSpiffeId(client)) {
						request.uris(client);
					}
					IssuedCertificate issued = request.issue();
					issued.writeCertificate(clientCertificate(client));
					issued.writePrivateKey(clientPrivateKey(client));
					issued.writeKeyStore(clientKeyStore(client), "PKCS12", baseName(client), KEY_STORE_PASSWORD);
					this.minted.add(client);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to prepare dev certificates in " + this.directory, ex);
		}
	}

	/**
	 * Load a certificate and key if both exist, were issued by {@code issuer} (or are
	 * self-signed when it is {@code null}) and stay valid for at least another day.
	 * @param certificateFile the PEM certificate
	 * @param keyFile the PEM private key
	 * @param issuer the CA that must have issued the certificate, or {@code null} for a
	 * self-signed one
	 * @return the certificate and key, or {@code null} to mint new ones
	 */
	private @Nullable CertificateAuthority loadUsable(Path certificateFile, Path keyFile,
			@Nullable CertificateAuthority issuer) {
		if (!Files.isRegularFile(certificateFile) || !Files.isRegularFile(keyFile)) {
			return null;
		}
		try {
			X509Certificate certificate = PemContent.load(certificateFile).getCertificates().get(0);
			PrivateKey key = PemContent.load(keyFile).getPrivateKey();
			X509Certificate signer = (issuer != null) ? issuer.getCertificate() : certificate;
			certificate.verify(signer.getPublicKey());
			certificate.checkValidity();
			if (key == null
					|| certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(MINIMUM_REMAINING_VALIDITY))) {
				return null;
			}
			return CertificateAuthority.of(certificate, key);
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			logger.debug("Not reusing " + certificateFile + ": " + ex.getMessage());
			return null;
		}
	}

	/**
	 * Create the directory readable by its owner only, or check that an existing one
	 * belongs to this user: another user's directory could hold a CA of their choosing.
	 */
	private void createPrivateDirectory() throws IOException {
		boolean posix = this.directory.getFileSystem().supportedFileAttributeViews().contains("posix");
		if (!Files.exists(this.directory)) {
			Files.createDirectories(this.directory.toAbsolutePath().getParent());
			if (posix) {
				Files.createDirectory(this.directory,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			else {
				Files.createDirectory(this.directory);
			}
			return;
		}
		String owner = Files.getOwner(this.directory).getName();
		String user = System.getProperty("user.name");
		if (posix && !owner.equals(user)) {
			throw new IllegalStateException(("Dev certificate directory %s belongs to '%s', not to '%s': set "
					+ "mtls.dev.directory to a directory of your own")
				.formatted(this.directory, owner, user));
		}
	}

	private Path file(String name) {
		return this.directory.resolve(name);
	}

	public Path getDirectory() {
		return this.directory;
	}

	public Path caCertificate() {
		return file("ca.crt");
	}

	public Path serverCertificate() {
		return file("server.crt");
	}

	public Path serverPrivateKey() {
		return file("server.key");
	}

	public Path clientCertificate(String name) {
		return file(baseName(name) + ".crt");
	}

	public Path clientPrivateKey(String name) {
		return file(baseName(name) + ".key");
	}

	public Path clientKeyStore(String name) {
		return file(baseName(name) + ".p12");
	}

	/**
	 * Return the common name and file name of a dev client: the name itself, or for a
	 * SPIFFE ID ({@code spiffe://acme.org/ns/shop/sa/checkout}) its last path segment
	 * ({@code checkout}), the ID becoming the certificate's URI SAN.
	 * @param client a client name from {@code mtls.dev.clients}
	 * @return the base name
	 */
	public static String baseName(String client) {
		if (!isSpiffeId(client)) {
			return client;
		}
		String path = client.substring("spiffe://".length());
		return path.substring(path.lastIndexOf('/') + 1);
	}

	private static boolean isSpiffeId(String client) {
		return client.startsWith("spiffe://");
	}

	/**
	 * Return which certificates were minted by {@link #prepare}, as opposed to reused:
	 * {@code ca}, {@code server} and client names.
	 * @return the names of the minted certificates
	 */
	public List<String> getMinted() {
		return List.copyOf(this.minted);
	}

}
