package dev.mtls.boot.monitor;

import java.util.List;
import java.util.Map;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.pki.CertificateAuthority;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SeenPeers}.
 */
class SeenPeersTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Peers Test CA");

	private final CertificateIdentity alice = identity("alice");

	private final CertificateIdentity bob = identity("bob");

	private final CertificateIdentity carol = identity("carol");

	@Test
	void describeWhenNoneSeenThenEmpty() {
		assertThat(new SeenPeers(10).describe()).isEmpty();
	}

	@Test
	void describeWhenSeenTwiceThenOneEntryCountingBoth() {
		SeenPeers peers = new SeenPeers(10);
		peers.authenticated(this.alice);
		peers.authenticated(this.alice);

		List<Map<String, @Nullable Object>> described = peers.describe();

		assertThat(described).singleElement().satisfies((peer) -> {
			assertThat(peer).containsEntry("name", "alice")
				.containsEntry("subject", "CN=alice")
				.containsEntry("sha256", this.alice.getSha256Fingerprint())
				.containsEntry("requests", 2L);
			assertThat(peer).containsKeys("firstSeen", "lastSeen", "notAfter", "daysLeft");
		});
	}

	@Test
	void describeWhenForwardedByProxyThenProxyNamedForThatPeerOnly() {
		SeenPeers peers = new SeenPeers(10);
		peers.forwardedBy(this.alice.getCertificate(), "'CN=proxy' at 10.0.0.7");
		peers.authenticated(this.alice);
		peers.authenticated(this.bob);

		List<Map<String, @Nullable Object>> described = peers.describe();

		assertThat(described).filteredOn((peer) -> "alice".equals(peer.get("name")))
			.singleElement()
			.satisfies((peer) -> assertThat(peer).containsEntry("lastForwardedBy", "'CN=proxy' at 10.0.0.7"));
		assertThat(described).filteredOn((peer) -> "bob".equals(peer.get("name")))
			.singleElement()
			.satisfies((peer) -> assertThat(peer).doesNotContainKey("lastForwardedBy"));
	}

	@Test
	void describeWhenAttestedByProxyThenNoCertificateFieldsAndProxyNamed() {
		SeenPeers peers = new SeenPeers(10);
		CertificateIdentity attested = CertificateIdentity.attested(
				new AttestedCertificate("ab".repeat(32), "", List.of(), List.of("spiffe://acme.org/ns/shop/sa/dave")),
				PrincipalName.SPIFFE_ID);
		peers.attestedBy("ab".repeat(32), "127.0.0.6");
		peers.authenticated(attested);

		assertThat(peers.describe()).singleElement().satisfies((peer) -> {
			assertThat(peer).containsEntry("name", "spiffe://acme.org/ns/shop/sa/dave")
				.containsEntry("sha256", "ab".repeat(32))
				.containsEntry("attestedByProxy", true)
				.containsEntry("lastForwardedBy", "127.0.0.6");
			assertThat(peer.get("issuer")).isNull();
			assertThat(peer.get("serial")).isNull();
			assertThat(peer.get("daysLeft")).isNull();
		});
	}

	@Test
	void describeWhenAttestedSubjectHoldsBidiOverrideThenEscapedAsInLogs() {
		SeenPeers peers = new SeenPeers(10);
		// What a trusted proxy attests is only checked to be a DN: shown raw, this reads
		// CN=admin.
		CertificateIdentity attested = CertificateIdentity.attested(
				new AttestedCertificate("cd".repeat(32), "CN=\u202Enimda", List.of(), List.of()), PrincipalName.CN);
		peers.authenticated(attested);

		assertThat(peers.describe()).singleElement().satisfies((peer) -> {
			assertThat(peer).containsEntry("name", "\\u202Enimda").containsEntry("subject", "CN=\\u202Enimda");
			assertThat(peer.get("spiffeId")).isNull();
		});
	}

	@Test
	void authenticatedWhenCapacityExceededThenLongestUnseenDropped() throws Exception {
		SeenPeers peers = new SeenPeers(2);
		peers.authenticated(this.alice);
		pause();
		peers.authenticated(this.bob);
		pause();
		peers.authenticated(this.alice);
		pause();

		peers.authenticated(this.carol);

		assertThat(names(peers)).containsExactly("carol", "alice");
	}

	@Test
	void describeWhenSeveralSeenThenMostRecentFirst() throws Exception {
		SeenPeers peers = new SeenPeers(10);
		peers.authenticated(this.alice);
		pause();
		peers.authenticated(this.bob);
		pause();
		peers.authenticated(this.carol);
		pause();
		peers.authenticated(this.bob);

		assertThat(names(peers)).containsExactly("bob", "carol", "alice");
	}

	private static List<@Nullable Object> names(SeenPeers peers) {
		return peers.describe().stream().map((peer) -> peer.get("name")).toList();
	}

	// Last-seen times come from Instant.now(): keep them apart.
	private static void pause() throws InterruptedException {
		Thread.sleep(5);
	}

	private CertificateIdentity identity(String commonName) {
		return CertificateIdentity.of(this.ca.certificate(commonName).clientAuth().issue().getCertificate());
	}

}
