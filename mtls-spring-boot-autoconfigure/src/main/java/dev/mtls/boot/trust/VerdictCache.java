package dev.mtls.boot.trust;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Validation verdicts kept per chain, purpose and host until the verdict may no longer
 * hold; bounded, forgetting them all when full.
 */
final class VerdictCache {

	static final int MAX_CACHED_VERDICTS = 10_000;

	private final int capacity;

	private final Map<List<@Nullable Object>, Verdict> verdicts = new ConcurrentHashMap<>();

	VerdictCache() {
		this(MAX_CACHED_VERDICTS);
	}

	VerdictCache(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * Return the key of a validation.
	 * @param chain the presented chain
	 * @param purpose the extended key usage checked
	 * @param host the host checked, or {@code null}
	 * @return the key
	 */
	static List<@Nullable Object> key(List<X509Certificate> chain, String purpose, @Nullable String host) {
		// Sized once: a key is built for every request.
		List<@Nullable Object> key = new ArrayList<>(chain.size() + 2);
		for (X509Certificate certificate : chain) {
			key.add(certificate);
		}
		key.add(purpose);
		key.add(host);
		return key;
	}

	/**
	 * Return the validated path of a verdict that still holds.
	 * @param key the validation's key
	 * @param now the current time
	 * @return the path, or {@code null} if no verdict holds now
	 */
	@Nullable List<X509Certificate> get(List<@Nullable Object> key, Instant now) {
		Verdict cached = this.verdicts.get(key);
		if (cached != null && now.isBefore(cached.until())) {
			return cached.path();
		}
		return null;
	}

	void put(List<@Nullable Object> key, Validated validated, Instant now, Duration timeToLive) {
		if (this.verdicts.size() >= this.capacity) {
			this.verdicts.clear();
		}
		this.verdicts.put(key, new Verdict(validated.path(), validated.until(now, timeToLive)));
	}

	int size() {
		return this.verdicts.size();
	}

	/**
	 * A validated path, with what its verdict relied on.
	 *
	 * @param path the validated path, leaf first
	 * @param anchor the trust anchor's certificate, or {@code null} if known only by its
	 * key
	 * @param crls the CRLs the verdict relied on
	 */
	record Validated(List<X509Certificate> path, @Nullable X509Certificate anchor, List<X509CRL> crls) {

		/**
		 * The verdict holds until the cache time ends, a certificate of the path or the
		 * anchor expires, or a CRL it relied on is due for its next update.
		 * @param now the current time
		 * @param timeToLive how long the cache keeps a verdict
		 * @return when the verdict ends
		 */
		Instant until(Instant now, Duration timeToLive) {
			Instant until = now.plus(timeToLive);
			List<X509Certificate> certificates = new ArrayList<>(this.path);
			if (this.anchor != null) {
				certificates.add(this.anchor);
			}
			for (X509Certificate certificate : certificates) {
				Instant notAfter = certificate.getNotAfter().toInstant();
				until = notAfter.isBefore(until) ? notAfter : until;
			}
			for (X509CRL crl : this.crls) {
				if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(until)) {
					until = crl.getNextUpdate().toInstant();
				}
			}
			return until;
		}

	}

	private record Verdict(List<X509Certificate> path, Instant until) {
	}

}
