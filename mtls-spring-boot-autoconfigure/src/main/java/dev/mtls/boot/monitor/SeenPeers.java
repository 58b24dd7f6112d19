package dev.mtls.boot.monitor;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.mtls.boot.identity.CertificateFingerprint;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import org.jspecify.annotations.Nullable;

/**
 * The distinct client certificates that called recently, with first and last call and a
 * request count; at most {@code capacity}, the longest unseen dropped first.
 *
 * @since 0.1.0
 */
public class SeenPeers implements MtlsListener {

	private final int capacity;

	/** Access-ordered, so the eldest entry is the one unseen the longest. */
	private final Map<String, Peer> peers;

	/** The proxy each forwarded peer last came through, bounded like the peers. */
	private final Map<String, String> proxies;

	public SeenPeers(int capacity) {
		this.capacity = capacity;
		this.peers = new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Peer> eldest) {
				return size() > SeenPeers.this.capacity;
			}

		};
		this.proxies = new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
				return size() > SeenPeers.this.capacity;
			}

		};
	}

	@Override
	public void forwardedBy(X509Certificate leaf, String proxy) {
		cameThrough(CertificateFingerprint.sha256(leaf), proxy);
	}

	@Override
	public void attestedBy(String sha256Fingerprint, String proxy) {
		cameThrough(sha256Fingerprint, proxy);
	}

	private void cameThrough(String fingerprint, String proxy) {
		synchronized (this.proxies) {
			this.proxies.put(fingerprint, proxy);
		}
	}

	@Override
	public void authenticated(CertificateIdentity identity) {
		Peer peer;
		synchronized (this.peers) {
			peer = this.peers.computeIfAbsent(identity.getSha256Fingerprint(), (key) -> new Peer(identity));
		}
		peer.seen();
	}

	/**
	 * Return the peers, most recently seen first.
	 * @return a description of each peer
	 */
	public List<Map<String, @Nullable Object>> describe() {
		Instant now = Instant.now();
		List<Peer> peers;
		synchronized (this.peers) {
			peers = List.copyOf(this.peers.values());
		}
		Map<String, String> proxies;
		synchronized (this.proxies) {
			proxies = Map.copyOf(this.proxies);
		}
		return peers.stream()
			.sorted(Comparator.comparing(Peer::lastSeen).reversed())
			.map((peer) -> peer.describe(now, proxies.get(peer.identity.getSha256Fingerprint())))
			.toList();
	}

	private static final class Peer {

		private final CertificateIdentity identity;

		private final Instant firstSeen = Instant.now();

		private volatile Instant lastSeen = this.firstSeen;

		private final AtomicLong requests = new AtomicLong();

		Peer(CertificateIdentity identity) {
			this.identity = identity;
		}

		void seen() {
			this.lastSeen = Instant.now();
			this.requests.incrementAndGet();
		}

		private static @Nullable String text(@Nullable String peerText) {
			return (peerText != null) ? CertificateText.escape(peerText) : null;
		}

		Instant lastSeen() {
			return this.lastSeen;
		}

		Map<String, @Nullable Object> describe(Instant now, @Nullable String proxy) {
			Map<String, @Nullable Object> description = new LinkedHashMap<>();
			// Peer text, as the logs show it: JSON escapes control characters only, and a
			// right-to-left override in a subject would show an operator another name.
			description.put("name", text(this.identity.getName()));
			description.put("subject", text(this.identity.getSubject()));
			description.put("spiffeId", text(this.identity.getSpiffeId()));
			BigInteger serial = this.identity.getSerialNumber();
			Instant notAfter = this.identity.getNotAfter();
			description.put("issuer", text(this.identity.getIssuer()));
			description.put("serial", (serial != null) ? serial.toString(16) : null);
			description.put("sha256", this.identity.getSha256Fingerprint());
			description.put("firstSeen", this.firstSeen);
			description.put("lastSeen", this.lastSeen);
			description.put("requests", this.requests.get());
			description.put("notAfter", notAfter);
			description.put("daysLeft", (notAfter != null) ? Duration.between(now, notAfter).toDays() : null);
			if (this.identity.isAttestedByProxy()) {
				description.put("attestedByProxy", true);
			}
			if (proxy != null) {
				description.put("lastForwardedBy", proxy);
			}
			return description;
		}

	}

}
