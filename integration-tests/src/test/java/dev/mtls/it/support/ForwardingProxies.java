package dev.mtls.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

import dev.mtls.boot.test.TestCertificateAuthority;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * TLS-terminating proxies in containers on 127.0.0.1, in front of a service on the
 * starter: they verify (or not) the client, forward its certificate in a header, and
 * connect to the service with their own client certificate ({@code proxy.crt},
 * {@code proxy.key} and {@code proxy.pem} in the CA's directory).
 */
public final class ForwardingProxies {

	private ForwardingProxies() {
	}

	/**
	 * nginx with {@code ssl_verify_client optional_no_ca}, so that it forwards clients of
	 * any CA, revoked ones included, as {@code ssl-client-cert:
	 * $ssl_client_escaped_cert}.
	 * @param ca the test CA, whose directory is mounted at {@code /pki}
	 * @param port the port to listen on
	 * @param servicePort the service's port
	 * @return the container, not started
	 */
	public static GenericContainer<?> nginx(TestCertificateAuthority ca, int port, int servicePort) {
		String config = """
				daemon off;
				pid /tmp/nginx-%1$d.pid;
				error_log stderr notice;
				events {}
				http {
				    access_log /dev/stdout;
				    server {
				        listen 127.0.0.1:%1$d ssl;
				        ssl_certificate /pki/server.crt;
				        ssl_certificate_key /pki/server.key;
				        ssl_client_certificate /pki/ca.crt;
				        ssl_verify_client optional_no_ca;
				        ssl_verify_depth 3;
				        location / {
				            proxy_pass https://127.0.0.1:%2$d;
				            proxy_ssl_certificate /pki/proxy.crt;
				            proxy_ssl_certificate_key /pki/proxy.key;
				            proxy_ssl_trusted_certificate /pki/ca.crt;
				            proxy_ssl_verify on;
				            proxy_ssl_verify_depth 3;
				            proxy_ssl_name localhost;
				            proxy_set_header ssl-client-cert $ssl_client_escaped_cert;
				        }
				    }
				}
				""".formatted(port, servicePort);
		String file = ca.write("nginx-proxy-" + port + ".conf", config).getFileName().toString();
		return Containers.create(ca.getDirectory())
			.withCommand("nginx", "-c", "/pki/" + file)
			.waitingFor(Wait.forLogMessage(".*start worker process.*", 1).withStartupTimeout(Duration.ofSeconds(30)));
	}

	/**
	 * HAProxy accepting any client certificate ({@code ca-ignore-err all},
	 * {@code crt-ignore-err all}: expired and untrusted ones too) and forwarding it as
	 * RFC 9440's {@code Client-Cert} built from {@code ssl_c_der}.
	 * @param ca the test CA, whose directory is mounted at {@code /pki} and holds
	 * {@code server.pem} (HAProxy's certificate and key) and {@code proxy.pem}
	 * @param port the port to listen on
	 * @param servicePort the service's port
	 * @return the container, started and listening
	 */
	public static GenericContainer<?> haproxy(TestCertificateAuthority ca, int port, int servicePort) {
		String config = """
				global
				    log stdout format raw local0 info
				defaults
				    mode http
				    log global
				    option httplog
				    timeout connect 5s
				    timeout client 30s
				    timeout server 30s
				frontend mtls
				    bind 127.0.0.1:%1$d ssl crt /pki/server.pem ca-file /pki/ca.crt verify optional ca-ignore-err all crt-ignore-err all
				    http-request del-header Client-Cert
				    http-request del-header Client-Cert-Chain
				    http-request set-header Client-Cert :%%[ssl_c_der,base64]: if { ssl_c_used }
				    default_backend service
				backend service
				    server service 127.0.0.1:%2$d ssl crt /pki/proxy.pem ca-file /pki/ca.crt verify required verifyhost localhost sni str(localhost)
				"""
			.formatted(port, servicePort);
		String file = ca.write("haproxy-" + port + ".cfg", config).getFileName().toString();
		GenericContainer<?> container = Containers.create(ca.getDirectory())
			.withCommand("haproxy", "-db", "-f", "/pki/" + file);
		container.start();
		awaitListening(port, container);
		return container;
	}

	private static void awaitListening(int port, GenericContainer<?> container) {
		Instant deadline = Instant.now().plusSeconds(30);
		while (Instant.now().isBefore(deadline)) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return;
			}
			catch (IOException ex) {
				sleep();
			}
		}
		throw new UncheckedIOException(new IOException(
				"HAProxy is not listening on 127.0.0.1:" + port + " after 30 s; its log:\n" + container.getLogs()));
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
