package dev.mtls.boot.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An external TLS scan, {@code testssl.sh} (the Debian package), of the main port and of
 * a separate management port: no finding of severity LOW or above, only TLS 1.2 and 1.3,
 * forward secrecy, no CBC suites, secure renegotiation only, the chain complete. The
 * server's certificate is issued the way production issuers do it: by an issuing CA below
 * the root, with a CRL distribution point.
 * <p>
 * testssl 3.0 (Debian 12) cannot present a client certificate, and the main port needs
 * one: it is given an {@code openssl} that adds alice's certificate and chain to every
 * {@code s_client} call. Its client-initiated renegotiation check guesses from timing;
 * when it reports the server vulnerable, a renegotiation of our own decides. Its own
 * socket probes need no certificate (they read the server's hello). Skipped where testssl
 * is not installed, except in CI.
 */
abstract class TlsScanSuite extends ServerSuite {

	private static final Set<String> REPORTED = Set.of("LOW", "MEDIUM", "HIGH", "CRITICAL");

	private static final long SCAN_TIMEOUT_MINUTES = 5;

	private TestCertificate alice;

	private Path caFile;

	TlsScanSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		this.alice = ca.client("alice");
		this.caFile = ca.writeCaCertificate();
		TestCertificate serverCertificate = ca.adopt(ca.getIssuingAuthority()
			.certificate("localhost")
			.dnsNames("localhost")
			.ipAddresses("127.0.0.1", "::1")
			.crlDistributionPoint("http://127.0.0.1:9/issuing-ca.crl")
			.serverAuth()
			.clientAuth()
			.issue());
		PemFiles server = ca.writePem("scanned-server", serverCertificate);
		return new String[] { "mtls.identity.certificate=" + server.certificateLocation(),
				"mtls.identity.private-key=" + server.privateKeyLocation(),
				"mtls.trust.certificates=" + ca.fileLocation(this.caFile.getFileName().toString()),
				"management.server.port=0", "management.server.address=127.0.0.1",
				"management.endpoints.web.exposure.include=health" };
	}

	@Test
	void scanWhenMainPortThenNoFindingOfSeverityLowOrAbove() throws Exception {
		assertScanPasses(scan(this.service.port(), "/whoami"), this.service.port());
	}

	@Test
	void scanWhenManagementPortThenNoFindingOfSeverityLowOrAbove() throws Exception {
		int managementPort = this.service.context()
			.getEnvironment()
			.getRequiredProperty("local.management.port", Integer.class);

		assertScanPasses(scan(managementPort, "/actuator/health"), managementPort);
	}

	private void assertScanPasses(Map<String, List<JsonNode>> findings, int port) {
		List<JsonNode> reported = findings.values()
			.stream()
			.flatMap(List::stream)
			.filter((finding) -> REPORTED.contains(finding.get("severity").asText()))
			.toList();
		boolean renegotiationFalseAlarm = reported.stream()
			.anyMatch((finding) -> isRenegotiationFalseAlarm(finding, port));
		assertThat(reported.stream()
			.filter((
					finding) -> !(renegotiationFalseAlarm && "secure_client_renego".equals(finding.get("id").asText())))
			.map(TlsScanSuite::describe)).as("testssl findings of severity LOW or above").isEmpty();
		// Its HTTP checks ran: the client certificate was accepted.
		assertThat(finding(findings, "service")).isEqualTo("HTTP");
		for (String protocol : List.of("SSLv2", "SSLv3", "TLS1", "TLS1_1")) {
			assertThat(finding(findings, protocol)).as(protocol).startsWith("not offered");
		}
		assertThat(finding(findings, "TLS1_2")).startsWith("offered");
		assertThat(finding(findings, "TLS1_3")).startsWith("offered");
		for (String weak : List.of("cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
				"cipherlist_3DES_IDEA", "cipherlist_AVERAGE")) {
			// AVERAGE: the obsolete CBC suites.
			assertThat(finding(findings, weak)).as(weak).isEqualTo("not offered");
		}
		assertThat(finding(findings, "PFS")).isEqualTo("offered");
		assertThat(finding(findings, "secure_renego")).isEqualTo("supported");
		if (!renegotiationFalseAlarm) {
			assertThat(finding(findings, "secure_client_renego")).contains("not vulnerable");
		}
		assertThat(finding(findings, "cert_chain_of_trust")).isEqualTo("passed.");
		assertThat(finding(findings, "certs_countServer")).as("leaf and issuing CA sent").isEqualTo("2");
		assertThat(finding(findings, "certs_list_ordering_problem")).isEqualTo("no");
	}

	/**
	 * testssl 3.0 judges client-initiated renegotiation by the exit status of an
	 * {@code s_client} that sends {@code R} once a second: against a server that ends the
	 * connection at once with a fatal alert it says "not vulnerable", "likely not
	 * vulnerable, timed out" or, now and then, "VULNERABLE". When it says so, renegotiate
	 * ourselves: a refusal is the answer that counts (as in {@link RenegotiationTests}).
	 */
	private boolean isRenegotiationFalseAlarm(JsonNode finding, int port) {
		if (!"secure_client_renego".equals(finding.get("id").asText())) {
			return false;
		}
		try (KeepAliveConnection connection = new KeepAliveConnection(this.alice.sslBundle().createSslContext(), port,
				(socket) -> socket.setEnabledProtocols(new String[] { "TLSv1.2" }))) {
			connection.get("/");
			try {
				connection.renegotiate();
				connection.get("/");
			}
			catch (IOException refused) {
				System.out.println("testssl's " + describe(finding)
						+ " is a false alarm: a client-initiated renegotiation was refused with " + refused);
				return true;
			}
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String finding(Map<String, List<JsonNode>> findings, String id) {
		List<JsonNode> nodes = findings.get(id);
		assertThat(nodes).as("testssl finding " + id).isNotNull();
		return nodes.get(0).get("finding").asText();
	}

	private static String describe(JsonNode finding) {
		return finding.get("id").asText() + " " + finding.get("severity").asText() + ": "
				+ finding.get("finding").asText();
	}

	private Map<String, List<JsonNode>> scan(int port, String path) throws IOException, InterruptedException {
		Path testssl = testssl();
		Path directory = this.ca.getDirectory();
		Path json = directory.resolve("testssl-" + port + ".json");
		Files.deleteIfExists(json);
		List<String> command = new ArrayList<>(List.of(testssl.toString(), "--quiet", "--color", "0", "--warnings",
				"off", "--nodns", "none", "--connect-timeout", "10", "--openssl-timeout", "10", "--openssl",
				opensslWithClientCertificate().toString(), "--add-ca", this.caFile.toString(), "--jsonfile",
				json.toString(), "-p", "-s", "-f", "-P", "-S", "-h", "-U", "https://127.0.0.1:" + port + path));
		Path log = directory.resolve("testssl-" + port + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(SCAN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("testssl did not finish within " + SCAN_TIMEOUT_MINUTES + " minutes: " + log);
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		System.out.println("testssl " + this.server + " port " + port + ":\n" + output);
		assertThat(json).as("testssl's JSON (exit code %d)", process.exitValue()).isRegularFile();
		JsonNode findings = new ObjectMapper().readTree(json.toFile());
		List<JsonNode> all = new ArrayList<>();
		findings.forEach(all::add);
		System.out.println("testssl " + this.server + " port " + port + ", findings of severity LOW: "
				+ all.stream()
					.filter((finding) -> "LOW".equals(finding.get("severity").asText()))
					.map(TlsScanSuite::describe)
					.toList());
		return all.stream().collect(Collectors.groupingBy((finding) -> finding.get("id").asText()));
	}

	private Path opensslWithClientCertificate() throws IOException {
		PemFiles client = this.ca.writePem("scan-client", this.alice);
		Path script = this.ca.getDirectory().resolve("openssl-with-client-certificate");
		Files.writeString(script, """
				#!/bin/sh
				if [ "$1" = "s_client" ]; then
				  shift
				  exec openssl s_client -cert '%1$s' -cert_chain '%1$s' -key '%2$s' "$@"
				fi
				exec openssl "$@"
				""".formatted(client.certificate(), client.privateKey()));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script;
	}

	private static Path testssl() {
		Path found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.flatMap((directory) -> Stream.of(Path.of(directory, "testssl"), Path.of(directory, "testssl.sh")))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
		if (System.getenv("CI") != null) {
			assertThat(found).as("testssl on the PATH (CI must scan: .ci/run installs the Debian package)").isNotNull();
		}
		Assumptions.assumeTrue(found != null, "testssl is not installed (Debian: apt-get install testssl.sh)");
		return found;
	}

}
