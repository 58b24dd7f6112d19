package dev.mtls.boot.test.spiffe;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.DefaultX509Source.X509SourceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TestWorkloadApiServer}: java-spiffe's own client fetches the SVIDs.
 */
class TestWorkloadApiServerTests {

	@TempDir
	Path directory;

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private final PrintStream out = new PrintStream(this.output, true, StandardCharsets.UTF_8);

	@Test
	void parseWhenNoWorkloadThenFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> TestWorkloadApiServer.parse(new String[0], this.out))
			.withMessage("At least one --workload is needed");
	}

	@Test
	void parseWhenWorkloadHasNoSpiffeIdThenFailsShowingTheForm() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TestWorkloadApiServer.parse(new String[] { "--workload=/tmp/a.sock" }, this.out))
			.withMessageContaining("--workload must be <socket path>=<SPIFFE ID>")
			.withMessageContaining("'/tmp/a.sock'");
	}

	@Test
	void parseWhenTwoTrustDomainsThenFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> TestWorkloadApiServer.parse(
				new String[] { "--workload=/tmp/a.sock=spiffe://a.org/x", "--workload=/tmp/b.sock=spiffe://b.org/y" },
				this.out))
			.withMessageContaining("one trust domain");
	}

	@Test
	void parseWhenDurationIsBadThenFailsNamingTheOption() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TestWorkloadApiServer
				.parse(new String[] { "--workload=/tmp/a.sock=spiffe://a.org/x", "--rotate-every=soon" }, this.out))
			.withMessage("--rotate-every must be a duration, such as 30s, not 'soon'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TestWorkloadApiServer
				.parse(new String[] { "--workload=/tmp/a.sock=spiffe://a.org/x", "--validity=0s" }, this.out))
			.withMessage("--validity must be positive, not '0s'");
	}

	@Test
	void parseWhenUnknownOptionThenFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TestWorkloadApiServer.parse(new String[] { "--socket=/tmp/a.sock" }, this.out))
			.withMessage("Unknown option '--socket=/tmp/a.sock'");
	}

	@Test
	void startWhenTwoWorkloadsThenEachSocketServesItsSvidUnderOneCaAndRotationFollows() throws Exception {
		Path pem = this.directory.resolve("pem");
		TestWorkloadApiServer server = TestWorkloadApiServer.parse(new String[] {
				"--workload=" + this.directory.resolve("orders.sock") + "=spiffe://example.org/orders,localhost",
				"--workload=" + this.directory.resolve("client.sock") + "=spiffe://example.org/client",
				"--validity=10m", "--pem-dir=" + pem }, this.out);
		server.start();
		try (DefaultX509Source orders = source("orders.sock"); DefaultX509Source client = source("client.sock")) {
			X509Svid ordersSvid = orders.getX509Svid();
			assertThat(ordersSvid.getSpiffeId().toString()).isEqualTo("spiffe://example.org/orders");
			assertThat(ordersSvid.getLeaf().getSubjectAlternativeNames().stream().map((name) -> (Object) name.get(1)))
				.containsExactlyInAnyOrder((Object) "spiffe://example.org/orders", "localhost");
			assertThat(client.getX509Svid().getSpiffeId().toString()).isEqualTo("spiffe://example.org/client");
			X509Certificate ca = read(pem.resolve("bundle.crt"));
			assertThat(orders.getBundleForTrustDomain(TrustDomain.parse("example.org")).getX509Authorities())
				.containsExactly(ca);
			assertThat(client.getBundleForTrustDomain(TrustDomain.parse("example.org")).getX509Authorities())
				.containsExactly(ca);
			client.getX509Svid().getLeaf().verify(ca.getPublicKey());
			assertThat(read(pem.resolve("orders.crt"))).isEqualTo(ordersSvid.getLeaf());
			assertThat(pem.resolve("orders.key")).exists();

			server.rotate();

			X509Certificate rotated = server.getAgents().get(0).getSvid().getCertificate();
			assertThat(rotated.getSerialNumber()).isNotEqualTo(ordersSvid.getLeaf().getSerialNumber());
			assertThat(read(pem.resolve("orders.crt"))).isEqualTo(rotated);
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (!orders.getX509Svid().getLeaf().equals(rotated) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(orders.getX509Svid().getLeaf()).isEqualTo(rotated);
		}
		finally {
			server.stop();
		}
		assertThat(this.output.toString(StandardCharsets.UTF_8))
			.contains("Serving spiffe://example.org/orders on unix:" + this.directory.resolve("orders.sock"))
			.contains("Rotated spiffe://example.org/client: SVID serial ");
		assertThat(this.directory.resolve("orders.sock")).doesNotExist();
	}

	private DefaultX509Source source(String socket) throws Exception {
		return DefaultX509Source
			.newSource(X509SourceOptions.builder().spiffeSocketPath("unix:" + this.directory.resolve(socket)).build());
	}

	private static X509Certificate read(Path pem) throws Exception {
		try (InputStream in = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
