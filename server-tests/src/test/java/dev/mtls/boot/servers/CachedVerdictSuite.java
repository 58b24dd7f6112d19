package dev.mtls.boot.servers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.mtls.boot.pki.CertificateRequest;
import dev.mtls.boot.servers.FaultyResponder.Fault;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client whose verdict is cached is not held up by revocation infrastructure that
 * fails: while 50 other clients wait on an OCSP responder or a CRL distribution point
 * that hangs, a client checked before the fault makes new full handshakes (a new SSL
 * context each, so nothing is resumed) and each is served at once, without the responder
 * being asked again. The JDK caches no OCSP answer, so the OCSP case shows the starter's
 * own verdict cache at work; a fetched CRL the JDK keeps for 30 s too.
 */
abstract class CachedVerdictSuite extends ServerSuite {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final int WAITING_CLIENTS = 50;

	private static final int HANDSHAKES = 10;

	private FaultyResponder ocspResponder;

	private FaultyResponder distributionPoint;

	CachedVerdictSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) throws Exception {
		X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
			.generateCRL(new ByteArrayInputStream(ca.getCrlPem().getBytes(StandardCharsets.US_ASCII)));
		this.distributionPoint = FaultyResponder.serving(crl.getEncoded());
		this.ocspResponder = FaultyResponder.serving(new byte[0]);
		return ca.writeServiceProperties("mtls.revocation.ocsp=true", "mtls.revocation.distribution-points=true",
				"mtls.revocation.timeout=" + TIMEOUT.toMillis() + "ms");
	}

	@AfterAll
	void stopResponders() throws IOException {
		this.ocspResponder.close();
		this.distributionPoint.close();
	}

	@Test
	void ocspResponderWhenHangingThenClientWithCachedVerdictServedAtOnce() throws Exception {
		String url = this.ocspResponder.url("/");
		TestCertificate cached = client("ocsp-cached", (request) -> request.ocspResponder(url));
		this.ocspResponder.answer(OcspAnswers.good(this.ca.getIssuingAuthority(), cached.getCertificate()));
		assertServedAtOnceWhileOthersWait("OCSP responder", this.ocspResponder, cached,
				(i) -> client("ocsp-waiting-" + i, (request) -> request.ocspResponder(url)));
	}

	@Test
	void distributionPointWhenHangingThenClientWithCachedVerdictServedAtOnce() throws Exception {
		TestCertificate cached = client("crl-cached",
				(request) -> request.crlDistributionPoint(this.distributionPoint.url("/ca.crl")));
		// A distribution point of its own for each waiting client: the JDK keeps a
		// fetched CRL per URI.
		assertServedAtOnceWhileOthersWait("distribution point", this.distributionPoint, cached, (i) -> client(
				"crl-waiting-" + i,
				(request) -> request.crlDistributionPoint(this.distributionPoint.url("/waiting-" + i + ".crl"))));
	}

	private void assertServedAtOnceWhileOthersWait(String name, FaultyResponder responder, TestCertificate cached,
			Function<Integer, TestCertificate> waitingClient) throws Exception {
		assertThat(get(cached, "/whoami").status()).isEqualTo(200);
		assertThat(responder.served()).as("answers for the first handshake").isEqualTo(1);
		List<TestCertificate> waiting = new ArrayList<>();
		for (int i = 0; i < WAITING_CLIENTS; i++) {
			waiting.add(waitingClient.apply(i));
		}
		responder.fail(Fault.HANG);
		ExecutorService threads = Executors.newFixedThreadPool(WAITING_CLIENTS);
		try {
			List<CompletableFuture<Boolean>> answers = new ArrayList<>();
			for (TestCertificate client : waiting) {
				answers.add(CompletableFuture.supplyAsync(() -> served(client), threads));
			}
			awaitHeld(responder, WAITING_CLIENTS);
			long slowest = 0;
			for (int i = 0; i < HANDSHAKES; i++) {
				long started = System.nanoTime();
				assertThat(get(cached, "/whoami").status()).isEqualTo(200);
				slowest = Math.max(slowest, System.nanoTime() - started);
			}
			int held = responder.held();
			assertThat(Duration.ofNanos(slowest)).as("slowest handshake of the cached client").isLessThan(TIMEOUT);
			assertThat(responder.served()).as("answers after the first handshake").isEqualTo(1);
			int refused = 0;
			for (CompletableFuture<Boolean> answer : answers) {
				refused += answer.get(60, TimeUnit.SECONDS) ? 0 : 1;
			}
			assertThat(refused).as("waiting clients refused (hard-fail)").isEqualTo(WAITING_CLIENTS);
			System.out.printf(
					"%s: %d handshakes of a cached client while %d connections hung at the %s: slowest %d ms; "
							+ "%d waiting clients refused%n",
					this.server, HANDSHAKES, held, name, TimeUnit.NANOSECONDS.toMillis(slowest), refused);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static void awaitHeld(FaultyResponder responder, int connections) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (responder.held() < connections) {
			assertThat(System.nanoTime())
				.as("%d connections held by the responder, %d expected", responder.held(), connections)
				.isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private boolean served(TestCertificate client) {
		try {
			return get(client, "/whoami").status() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private TestCertificate client(String name, Function<CertificateRequest, CertificateRequest> revocation) {
		return this.ca.adopt(revocation.apply(this.ca.getIssuingAuthority().certificate(name).clientAuth()).issue());
	}

}
