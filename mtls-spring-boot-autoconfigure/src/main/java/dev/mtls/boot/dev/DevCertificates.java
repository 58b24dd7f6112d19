package dev.mtls.boot.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.CertificateRequest;
import dev.mtls.boot.pki.IssuedCertificate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * The certificates of dev mode in one directory: a CA ({@code ca.crt}), a server
 * certificate for localhost ({@code server.crt}, {@code server.key}) usable as a client
 * too, and client certificates ({@code <name>.crt}, {@code <name>.key},
 * {@code <name>.p12} with password {@value #KEY_STORE_PASSWORD}, see
 * {@link #baseName(String)}); a client named by a SPIFFE ID gets it as URI SAN and its
 * last path segment as common name. Files still valid for another day, and for a client
 * still naming the identity asked for, are reused. The directory, and every directory
 * above it, must be safe from other users (see {@link #checkDirectory(Path)}).
 *
 * @since 0.1.0
 */
public final class DevCertificates {

	/**
	 * Password of the client PKCS12 files.
	 */
	public static final String KEY_STORE_PASSWORD = "changeit";

	private static final Duration MINIMUM_REMAINING_VALIDITY = Duration.ofDays(1);

	private static final String DIRECTORY_PROPERTY = "mtls.dev.directory";

	// Lower case only, so that no two names share a file on a case-insensitive file
	// system; '_' is left for the names that carry a hash.
	private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

	private static final Set<String> RESERVED_NAMES = Set.of("ca", "server");

	private static final int URI_NAME = 6;

	private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE,
			PosixFilePermission.OTHERS_WRITE);

	private static final int STICKY_BIT = 01000;

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
				CertificateAuthority existing = loadUsable(clientCertificate(client), clientPrivateKey(client), ca);
				if (existing == null || !hasIdentity(existing.getCertificate(), client)
						|| !Files.exists(clientKeyStore(client))) {
					CertificateRequest request = ca.certificate(commonName(client)).clientAuth();
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
	 * Whether a client certificate names the identity asked for: the client's common name
	 * as its only subject RDN and, for a SPIFFE ID, that ID as its only URI SAN (none for
	 * other clients).
	 * @param certificate the client certificate found
	 * @param client the client name from {@code mtls.dev.clients}
	 * @return whether the certificate can be reused for the client
	 */
	private static boolean hasIdentity(X509Certificate certificate, String client) {
		RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs();
		if (rdns.length != 1 || rdns[0].isMultiValued() || !BCStyle.CN.equals(rdns[0].getFirst().getType())
				|| !(rdns[0].getFirst().getValue() instanceof ASN1String commonName)
				|| !commonName.getString().equals(commonName(client))) {
			return false;
		}
		List<Object> uris = new ArrayList<>();
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			if (names != null) {
				names.stream()
					.filter((name) -> Integer.valueOf(URI_NAME).equals(name.get(0)))
					.forEach((name) -> uris.add(name.get(1)));
			}
		}
		catch (CertificateParsingException ex) {
			return false;
		}
		return uris.equals(isSpiffeId(client) ? List.of(client) : List.of());
	}

	/**
	 * Create the directory readable by its owner only, after checking every directory
	 * above it, see {@link #checkDirectory(Path)}.
	 */
	private void createPrivateDirectory() throws IOException {
		Path target = this.directory.toAbsolutePath().normalize();
		if (!isPosix(target)) {
			Files.createDirectories(target);
			return;
		}
		walk(target, true);
	}

	/**
	 * Check that no other user can replace the files of a dev certificate directory: on a
	 * POSIX file system, every directory on its path (links and their targets alike)
	 * belongs to this user or to root, and is writable by no one else unless it has the
	 * sticky bit (as {@code /tmp} has); the directory itself belongs to this user and is
	 * writable by no one else. Nothing is checked on other file systems.
	 * @param directory the dev certificate directory
	 * @throws MtlsConfigurationException naming {@code mtls.dev.directory} if a directory
	 * on the path is unsafe
	 */
	public static void checkDirectory(Path directory) {
		Path target = directory.toAbsolutePath().normalize();
		if (!isPosix(target)) {
			return;
		}
		try {
			walk(target, false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Unable to check dev certificate directory " + directory, ex);
		}
	}

	private static boolean isPosix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	/**
	 * Check each directory from the root down to {@code target}, creating the missing
	 * ones (owner only) if asked, then the same for its real path if a link leads there.
	 * @param target the dev certificate directory, absolute and normalized
	 * @param create whether to create the missing directories
	 */
	private static void walk(Path target, boolean create) throws IOException {
		Path root = target.getRoot();
		Path current = (root != null) ? root : target;
		check(current, target, current.equals(target), false);
		for (Path name : target) {
			current = current.resolve(name);
			boolean created = false;
			if (create && !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
				try {
					Files.createDirectory(current, ownerOnly());
					created = true;
				}
				catch (FileAlreadyExistsException ex) {
					// Created meanwhile by someone else: checked as found.
				}
			}
			check(current, target, created || current.equals(target), true);
		}
		Path real = target.toRealPath();
		if (!real.equals(target)) {
			walk(real, false);
		}
	}

	private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
		return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
	}

	private static void check(Path path, Path target, boolean own, boolean mustExist) throws IOException {
		if (!mustExist && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			throw unsafe(target, path, "does not exist");
		}
		PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		String owner = attributes.owner().getName();
		String user = System.getProperty("user.name");
		boolean ours = isOurs(path, owner, user);
		if (!ours && (own || !isRoot(path, owner))) {
			throw unsafe(target, path, "belongs to '%s', not to '%s'%s".formatted(owner, user,
					own ? "" : " or root, who could replace the directories in it"));
		}
		if (attributes.isSymbolicLink()) {
			return;
		}
		if (!attributes.isDirectory()) {
			throw unsafe(target, path, "is not a directory");
		}
		Set<PosixFilePermission> permissions = attributes.permissions();
		boolean writableByOthers = permissions.stream().anyMatch(WRITABLE_BY_OTHERS::contains);
		if (own && writableByOthers) {
			throw unsafe(target, path,
					"is writable by its group or others (%s), who could replace the certificates in it"
						.formatted(PosixFilePermissions.toString(permissions)));
		}
		if (writableByOthers && !isSticky(path)) {
			throw unsafe(target, path, ("is writable by its group or others (%s) and has no sticky bit: they could "
					+ "replace the directories in it")
				.formatted(PosixFilePermissions.toString(permissions)));
		}
	}

	// By user id where the file system has one: a user id without a name (a container
	// run as an arbitrary user) has the user name '?', and owns its files by number.
	private static boolean isOurs(Path path, String owner, String user) {
		Object uid = unixAttribute(path, "uid");
		Integer processUid = ProcessUser.UID;
		return (uid != null && processUid != null) ? processUid.equals(uid) : owner.equals(user);
	}

	private static boolean isRoot(Path path, String owner) {
		Object uid = unixAttribute(path, "uid");
		return (uid != null) ? Integer.valueOf(0).equals(uid) : "root".equals(owner);
	}

	private static boolean isSticky(Path path) {
		return (unixAttribute(path, "mode") instanceof Integer mode) && (mode & STICKY_BIT) != 0;
	}

	// The JDK's "unix" view (Linux, macOS) is the only one with the sticky bit and uid.
	private static @Nullable Object unixAttribute(Path path, String name) {
		try {
			return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static MtlsConfigurationException unsafe(Path target, Path path, String problem) {
		return new MtlsConfigurationException(DIRECTORY_PROPERTY, target.toString(),
				"the dev certificate directory is unsafe: %s %s".formatted(path, problem),
				"Set %s to a directory of your own that no other user can write to, nor to any directory above it "
					.formatted(DIRECTORY_PROPERTY)
						+ "(a directory writable by others, such as /tmp, needs its sticky bit).");
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
	 * Return the file name, without extension, of a dev client: the name itself if it is
	 * lower case letters, digits, dots and hyphens and not {@code ca} or {@code server};
	 * otherwise, and for every SPIFFE ID, its common name made file-safe, {@code _} and
	 * the first 8 hex digits of the SHA-256 of the name
	 * ({@code spiffe://acme.org/ns/shop/sa/checkout} gives {@code checkout_} and 8
	 * digits), so that no two clients, nor a client and the CA or server, share a file.
	 * @param client a client name from {@code mtls.dev.clients}
	 * @return the base name
	 */
	public static String baseName(String client) {
		if (!isSpiffeId(client) && PLAIN_NAME.matcher(client).matches() && !RESERVED_NAMES.contains(client)) {
			return client;
		}
		String readable = commonName(client).toLowerCase(Locale.ROOT)
			.replaceAll("[^a-z0-9.-]", "-")
			.replaceFirst("^\\.+", "");
		return readable.substring(0, Math.min(readable.length(), 32)) + "_" + hash(client);
	}

	/**
	 * Return the common name of a dev client: the name itself, or for a SPIFFE ID its
	 * last path segment, the ID becoming the certificate's URI SAN.
	 * @param client a client name from {@code mtls.dev.clients}
	 * @return the common name
	 */
	private static String commonName(String client) {
		if (!isSpiffeId(client)) {
			return client;
		}
		String path = client.substring("spiffe://".length());
		return path.substring(path.lastIndexOf('/') + 1);
	}

	private static String hash(String client) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(client.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 4);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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

	/**
	 * The user id of this process: the owner of a file it creates, read once.
	 */
	private static final class ProcessUser {

		static final @Nullable Integer UID = probe();

		private static @Nullable Integer probe() {
			try {
				Path probe = Files.createTempFile("mtls-dev-owner", ".probe");
				try {
					return (unixAttribute(probe, "uid") instanceof Integer uid) ? uid : null;
				}
				finally {
					Files.deleteIfExists(probe);
				}
			}
			catch (IOException | RuntimeException ex) {
				return null;
			}
		}

	}

}
