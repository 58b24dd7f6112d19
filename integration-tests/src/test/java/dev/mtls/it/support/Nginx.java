package dev.mtls.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

import dev.mtls.boot.test.TestCertificateAuthority;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * nginx in a container on 127.0.0.1, demanding a client certificate from the test CA and
 * answering with what OpenSSL verified: {@code dn=<client subject> verify=<result>}.
 */
public final class Nginx {

	private Nginx() {
	}

	/**
	 * Create the container.
	 * @param ca the test CA, whose directory is mounted at {@code /pki} and holds its
	 * certificate ({@code ca.crt}) and nginx's identity
	 * @param port the port to listen on (127.0.0.1)
	 * @param identity base name of nginx's certificate and key in the CA's directory
	 * @return the container, not started
	 */
	public static GenericContainer<?> create(TestCertificateAuthority ca, int port, String identity) {
		return start(ca, port, """
				    server {
				        listen 127.0.0.1:%1$d ssl;
				        ssl_certificate /pki/%2$s.crt;
				        ssl_certificate_key /pki/%2$s.key;
				        ssl_client_certificate /pki/ca.crt;
				        ssl_verify_client on;
				        location / {
				            default_type text/plain;
				            return 200 "dn=$ssl_client_s_dn verify=$ssl_client_verify\\n";
				        }
				    }
				""".formatted(port, identity));
	}

	/**
	 * Create a container serving the CA directory's files over plain HTTP, as a CA
	 * publishes its CRL.
	 * @param ca the test CA, whose directory is mounted at {@code /pki}
	 * @param port the port to listen on (127.0.0.1)
	 * @return the container, not started
	 */
	public static GenericContainer<?> files(TestCertificateAuthority ca, int port) {
		return start(ca, port, """
				    server {
				        listen 127.0.0.1:%d;
				        root /pki;
				    }
				""".formatted(port));
	}

	private static GenericContainer<?> start(TestCertificateAuthority ca, int port, String server) {
		String config = """
				daemon off;
				pid /tmp/nginx-%d.pid;
				error_log stderr notice;
				events {}
				http {
				    access_log /dev/stdout;
				%s}
				""".formatted(port, server);
		String file = "nginx-" + port + ".conf";
		try {
			Files.writeString(ca.getDirectory().resolve(file), config);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Containers.create(ca.getDirectory())
			.withCommand("nginx", "-c", "/pki/" + file)
			.waitingFor(Wait.forLogMessage(".*start worker process.*", 1).withStartupTimeout(Duration.ofSeconds(30)));
	}

}
