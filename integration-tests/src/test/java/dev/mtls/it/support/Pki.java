package dev.mtls.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.dev.CertificateAuthority;
import dev.mtls.boot.dev.IssuedCertificate;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/**
 * Certificates minted for an integration test with the starter's own CA and written as
 * PEM to a directory that containers mount at {@code /pki}: {@code <name>.crt} (chain,
 * leaf first) and {@code <name>.key}.
 */
public final class Pki {

	private final Path directory;

	private final CertificateAuthority ca;

	public Pki(Path directory) {
		this.directory = directory;
		this.ca = CertificateAuthority.create("IT Root CA");
		try {
			// Containers may run as another user than the test JVM.
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		write("ca", this.ca.asIssued());
		write("server", this.ca.certificate("localhost").dnsNames("localhost").ipAddresses("127.0.0.1")
			.serverAuth().clientAuth().issue());
	}

	public CertificateAuthority ca() {
		return this.ca;
	}

	public Path directory() {
		return this.directory;
	}

	/**
	 * Write a certificate (chain, leaf first) and its key as {@code name.crt} and
	 * {@code name.key}; keys stay readable by the containers.
	 * @param name the file base name
	 * @param certificate the certificate
	 * @return the certificate
	 */
	public IssuedCertificate write(String name, IssuedCertificate certificate) {
		try {
			Files.writeString(this.directory.resolve(name + ".crt"), certificate.certificatePem());
			Files.writeString(this.directory.resolve(name + ".key"), certificate.privateKeyPem());
			return certificate;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public IssuedCertificate client(String name) {
		return write(name, this.ca.certificate(name).clientAuth().issue());
	}

	public IssuedCertificate expired(String name) {
		Instant now = Instant.now();
		return write(name, this.ca.certificate(name).clientAuth()
			.validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue());
	}

	public IssuedCertificate notYetValid(String name) {
		Instant now = Instant.now();
		return write(name, this.ca.certificate(name).clientAuth()
			.validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).issue());
	}

	/**
	 * Return the {@code file:} location of a file in the PKI directory, for properties of
	 * services running in the test JVM.
	 * @param file the file name
	 * @return the location
	 */
	public String location(String file) {
		return "file:" + this.directory.resolve(file);
	}

	/**
	 * Return an SSL context presenting {@code client} (or nothing) and trusting the root.
	 * @param client the client certificate, or {@code null}
	 * @return the context
	 */
	public SSLContext clientContext(IssuedCertificate client) {
		PemSslStore key = (client != null) ? PemSslStore.of(client.getChain(), client.getPrivateKey()) : null;
		return SslBundle.of(new PemSslStoreBundle(key, PemSslStore.of(List.of(this.ca.getCertificate()), null)))
			.createSslContext();
	}

	/**
	 * Properties that give a service the {@code server} identity and trust in the root, as
	 * seen from inside a container.
	 * @return command-line arguments
	 */
	public static List<String> containerIdentityArguments(String name) {
		return List.of("--mtls.dev.enabled=false", "--mtls.identity.certificate=file:/pki/" + name + ".crt",
				"--mtls.identity.private-key=file:/pki/" + name + ".key", "--mtls.trust.certificates=file:/pki/ca.crt");
	}

}
