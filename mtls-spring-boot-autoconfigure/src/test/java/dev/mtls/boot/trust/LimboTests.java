package dev.mtls.boot.trust;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.ssl.pem.PemContent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every x509-limbo case ({@code shared/limbo/limbo.json}) through
 * {@link CertificateValidator}: CLIENT cases as a server validating a client, SERVER
 * cases as the outbound validation with the expected peer name. Counts verdicts that
 * disagree with {@code expected_result}, for the starter's default policy and for the
 * bare PKIX path (policy {@link CertificatePolicy#NONE}, no CRLs). No case is treated by
 * its id.
 */
class LimboTests {

	private static final ThreadLocal<String> LAST_REASON = new ThreadLocal<>();

	private static final Path LIMBO = Path.of("../../shared/limbo/limbo.json");

	@Test
	void limboWhenDefaultPolicyThenAtMost17WrongAcceptsAndAtMostOneWrongReject() throws Exception {
		if (System.getenv("CI") != null) {
			assertThat(LIMBO).as("x509-limbo vectors (CI must measure them)").isRegularFile();
		}
		Assumptions.assumeTrue(Files.isRegularFile(LIMBO), "x509-limbo vectors not found at " + LIMBO.toAbsolutePath());
		JsonNode cases = new ObjectMapper().readTree(LIMBO.toFile()).get("testcases");
		Tally strict = new Tally();
		Tally bare = new Tally();
		List<String> newlyWrong = new ArrayList<>();
		long slowestNanos = 0;
		String slowest = "";
		for (JsonNode testCase : cases) {
			boolean expected = "SUCCESS".equals(testCase.get("expected_result").asText());
			boolean bareVerdict = verdict(testCase, false);
			long start = System.nanoTime();
			boolean strictVerdict = verdict(testCase, true);
			long nanos = System.nanoTime() - start;
			if (nanos > slowestNanos) {
				slowestNanos = nanos;
				slowest = testCase.get("id").asText();
			}
			String feature = feature(testCase);
			if (strictVerdict != expected && System.getenv("LIMBO_VERBOSE") != null) {
				System.out.println(
						"WRONG " + testCase.get("id").asText() + " expected " + expected + ": " + LAST_REASON.get());
			}
			strict.count(feature, expected, strictVerdict);
			bare.count(feature, expected, bareVerdict);
			if (bareVerdict == expected && strictVerdict != expected && !expected) {
				newlyWrong.add(testCase.get("id").asText());
			}
			if (bareVerdict == expected && strictVerdict != expected && expected) {
				newlyWrong.add(testCase.get("id").asText() + " (wrongly rejected)");
			}
		}
		System.out.println(
				"x509-limbo, " + cases.size() + " cases: bare PKIX " + bare + "; with the starter's policy " + strict);
		System.out.println("By feature (wrongly accepted / wrongly rejected, bare -> policy):");
		strict.byFeature.forEach((feature, counts) -> System.out.printf("  %-28s %d/%d -> %d/%d%n", feature,
				bare.byFeature.get(feature)[0], bare.byFeature.get(feature)[1], counts[0], counts[1]));

		System.out.printf("Slowest case with the policy: %s, %d ms%n", slowest, slowestNanos / 1_000_000);

		assertThat(newlyWrong).as("cases the bare PKIX gets right but the policy gets wrong").isEmpty();
		assertThat(strict.wronglyAccepted).isLessThanOrEqualTo(17);
		assertThat(strict.wronglyRejected).isLessThanOrEqualTo(1);
	}

	private static boolean verdict(JsonNode testCase, boolean strict) throws Exception {
		try {
			return validate(testCase, strict);
		}
		catch (IllegalStateException ex) {
			// A certificate the JDK cannot parse is refused, as a TLS handshake would
			// refuse it.
			return false;
		}
	}

	private static boolean validate(JsonNode testCase, boolean strict) throws Exception {
		List<X509Certificate> trusted = certificates(testCase.get("trusted_certs"));
		List<X509Certificate> chain = new ArrayList<>();
		chain.addAll(PemContent.of(testCase.get("peer_certificate").asText()).getCertificates());
		chain.addAll(certificates(testCase.get("untrusted_intermediates")));
		List<X509CRL> crls = new ArrayList<>();
		JsonNode crlNode = testCase.get("crls");
		if (strict && crlNode != null && crlNode.isArray()) {
			for (JsonNode crl : crlNode) {
				crls.addAll(CertificateValidator
					.readCrls(new ByteArrayInputStream(crl.asText().getBytes(StandardCharsets.US_ASCII))));
			}
		}
		JsonNode time = testCase.get("validation_time");
		Clock clock = (time == null || time.isNull()) ? Clock.systemUTC()
				: Clock.fixed(OffsetDateTime.parse(time.asText()).toInstant(), ZoneOffset.UTC);
		CertificatePolicy policy = strict ? CertificatePolicy.DEFAULT.withMaxChainLength(Integer.MAX_VALUE)
				: CertificatePolicy.NONE;
		JsonNode depth = testCase.get("max_chain_depth");
		if (depth != null && !depth.isNull()) {
			policy = policy.withMaxChainLength(depth.asInt() + 1);
		}
		try {
			CertificateValidator validator = CertificateValidator.of(trusted, crls, policy, clock);
			if ("CLIENT".equals(testCase.get("validation_kind").asText())) {
				validator.validateClient(chain);
			}
			else {
				JsonNode name = testCase.get("expected_peer_name");
				validator.validateServer(chain, (name == null || name.isNull()) ? null : name.get("value").asText());
			}
			LAST_REASON.set("accepted");
			return true;
		}
		catch (CertificateRejectedException | IllegalArgumentException ex) {
			LAST_REASON.set(ex.getMessage());
			return false;
		}
	}

	private static List<X509Certificate> certificates(JsonNode node) {
		List<X509Certificate> certificates = new ArrayList<>();
		if (node != null && node.isArray()) {
			for (JsonNode pem : node) {
				certificates.addAll(PemContent.of(pem.asText()).getCertificates());
			}
		}
		return certificates;
	}

	private static String feature(JsonNode testCase) {
		String id = testCase.get("id").asText();
		String[] parts = id.split("::");
		return (parts.length > 2) ? parts[0] + "::" + parts[1] : parts[0];
	}

	private static final class Tally {

		int wronglyAccepted;

		int wronglyRejected;

		int right;

		final Map<String, int[]> byFeature = new TreeMap<>();

		void count(String feature, boolean expected, boolean actual) {
			int[] counts = this.byFeature.computeIfAbsent(feature, (key) -> new int[2]);
			if (expected == actual) {
				this.right++;
			}
			else if (actual) {
				this.wronglyAccepted++;
				counts[0]++;
			}
			else {
				this.wronglyRejected++;
				counts[1]++;
			}
		}

		@Override
		public String toString() {
			return this.right + " right, " + this.wronglyAccepted + " wrongly accepted, " + this.wronglyRejected
					+ " wrongly rejected";
		}

	}

}
