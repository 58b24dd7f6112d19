package dev.mtls.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.it.support.Containers;
import dev.mtls.it.support.Containers.Result;
import dev.mtls.it.support.Impostor;
import dev.mtls.it.support.RequiresDocker;
import dev.mtls.it.support.SampleService;
import dev.mtls.it.support.SampleService.Stack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.containers.GenericContainer;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * curl and {@code openssl s_client}, OpenSSL-based clients we did not write, against the
 * packaged jars of both samples, Spring MVC on Tomcat and WebFlux on Reactor Netty: who
 * gets in, who is refused, and which TLS is spoken, the same on either server.
 */
@ExtendWith(RequiresDocker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "{0}")
@EnumSource(Stack.class)
class CurlAndOpensslClientIT {

	private static final String REFUSED_ALERT = "alert (bad certificate|certificate unknown|certificate expired|"
			+ "unsupported certificate|certificate required|unknown ca|handshake failure)";

	@Parameter
	Stack stack;

	Path directory;

	TestCertificateAuthority ca;

	int port;

	GenericContainer<?> service;

	@BeforeParameterizedClassInvocation
	void start() throws Exception {
		this.directory = Files.createTempDirectory("mtls-it-");
		this.ca = Containers.certificateAuthority(this.directory);
		this.ca.writeCaCertificate();
		this.ca.writePem("server", this.ca.getServerCertificate());
		this.ca.writePem("alice", this.ca.client("alice"));
		this.ca.writePem("bob", this.ca.client("bob"));
		this.ca.writePem("expired", this.ca.client((spec) -> spec.commonName("expired").expired()));
		this.ca.writePem("future", this.ca.client((spec) -> spec.commonName("future").notYetValid()));
		// A CA with the name of the one that signs alice's certificate, but another key.
		this.ca.writePem("stranger",
				this.ca.adopt(Impostor.of(this.ca.getIssuingAuthority()).certificate("alice").clientAuth().issue()));
		this.ca.writePem("selfsigned", this.ca.adopt(CertificateAuthority.selfSigned("alice").clientAuth().issue()));
		this.ca.writePem("serveronly", this.ca.client((spec) -> spec.commonName("alice").withoutClientAuthUsage()));
		IssuedCertificate intermediate = this.ca.getIssuingAuthority().certificate("IT Intermediate CA").ca().issue();
		this.ca.writePem("intermediate", this.ca.adopt(intermediate));
		IssuedCertificate leaf = intermediate.asCertificateAuthority().certificate("alice").clientAuth().issue();
		this.ca.writePem("orphan", this.ca.adopt(leaf));
		// The leaf alone, without the intermediates that link it to the trusted root.
		Files.writeString(this.directory.resolve("orphan.crt"),
				leaf.certificatePem()
					.substring(0, leaf.certificatePem().indexOf("-----END CERTIFICATE-----")
							+ "-----END CERTIFICATE-----\n".length()));
		this.port = Containers.freePort();
		this.service = SampleService.create(this.stack, this.ca, this.port, "server",
				"--mtls.authorization.rules[0].paths=/admin/**", "--mtls.authorization.rules[0].allow=CN=alice");
		this.service.start();
	}

	@AfterParameterizedClassInvocation
	void stop() throws IOException {
		if (this.service != null) {
			this.service.stop();
		}
		if (this.directory != null) {
			FileSystemUtils.deleteRecursively(this.directory);
		}
	}

	private Result curl(String client, String path) {
		String identity = (client != null) ? " --cert /pki/" + client + ".crt --key /pki/" + client + ".key" : "";
		return Containers.run(this.ca.getDirectory(), "curl -sS -o /dev/null -w 'status=%{http_code}\\n' --max-time 20"
				+ " --cacert /pki/ca.crt" + identity + " https://127.0.0.1:" + this.port + path);
	}

	/**
	 * Run {@code openssl s_client} as alice; {@code -cert} reads the leaf only, so the
	 * issuing CA certificate that follows it comes through {@code -cert_chain}.
	 */
	private Result openssl(String options) {
		return Containers.run(this.ca.getDirectory(),
				"openssl s_client -connect 127.0.0.1:" + this.port + " -CAfile /pki/ca.crt -cert /pki/alice.crt"
						+ " -cert_chain /pki/alice.crt -key /pki/alice.key " + options + " </dev/null 2>&1");
	}

	private static void assertRefusedInHandshake(Result result) {
		assertThat(result.exitCode()).as(result.output()).isNotZero();
		assertThat(result.output()).containsPattern(REFUSED_ALERT).doesNotContain("status=2");
	}

	@Test
	void curlWhenTrustedAndAllowedThen200() {
		Result result = curl("alice", "/admin/status");

		assertThat(result.exitCode()).isZero();
		assertThat(result.output()).contains("status=200");
	}

	@Test
	void curlWhenTrustedButNotAllowedThen403() {
		assertThat(curl("bob", "/admin/status").output()).contains("status=403");
	}

	@Test
	void curlWhenNoCertificateThenRefusedInHandshake() {
		assertRefusedInHandshake(curl(null, "/hello"));
	}

	@Test
	void curlWhenCertificateExpiredThenRefused() {
		assertRefusedInHandshake(curl("expired", "/hello"));
	}

	@Test
	void curlWhenCertificateNotYetValidThenRefused() {
		assertRefusedInHandshake(curl("future", "/hello"));
	}

	@Test
	void curlWhenCertificateFromUntrustedCaThenRefused() {
		assertRefusedInHandshake(curl("stranger", "/hello"));
	}

	@Test
	void curlWhenCertificateSelfSignedThenRefused() {
		assertRefusedInHandshake(curl("selfsigned", "/hello"));
	}

	@Test
	void curlWhenCertificateOnlyForServerAuthThenRefused() {
		assertRefusedInHandshake(curl("serveronly", "/hello"));
	}

	@Test
	void curlWhenIntermediateMissingFromChainThenRefused() {
		assertRefusedInHandshake(curl("orphan", "/hello"));
	}

	@Test
	void curlWhenCaCertificateUsedAsClientThen401() {
		Result result = curl("intermediate", "/hello");

		assertThat(result.output()).contains("status=401");
	}

	@Test
	void opensslWhenDefaultsThenTls13Negotiated() {
		Result result = openssl("-brief");

		assertThat(result.output()).contains("Protocol version: TLSv1.3").contains("Verification: OK");
	}

	@Test
	void opensslWhenTls11ThenProtocolVersionAlert() {
		Result result = openssl("-tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'");

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("alert protocol version");
	}

	@Test
	void opensslWhenTls12CbcSuiteThenHandshakeFailure() {
		Result result = openssl("-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA");

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("alert handshake failure");
	}

	@Test
	void opensslWhenTls12AndNoCertificateThenAlert() {
		Result result = Containers.run(this.ca.getDirectory(),
				"openssl s_client -connect 127.0.0.1:" + this.port + " -CAfile /pki/ca.crt -tls1_2 </dev/null 2>&1");

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).containsPattern(REFUSED_ALERT);
	}

}
