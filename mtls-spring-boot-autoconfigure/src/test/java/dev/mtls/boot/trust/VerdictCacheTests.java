package dev.mtls.boot.trust;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.trust.VerdictCache.Validated;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link VerdictCache}.
 */
class VerdictCacheTests {

	private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private final CertificateAuthority ca = CertificateAuthority.create("Cache Test CA");

	private final IssuedCertificate alice = this.ca.certificate("alice").clientAuth().issue();

	@Test
	void getWhenPutThenPathUntilTimeToLiveEnds() {
		VerdictCache cache = new VerdictCache();
		List<@Nullable Object> key = VerdictCache.key(this.alice.getChain(), "purpose", null);
		cache.put(key, validated(this.alice.getChain(), List.of()), this.now, TIME_TO_LIVE);

		assertThat(cache.get(key, this.now.plus(TIME_TO_LIVE).minusSeconds(1))).isEqualTo(this.alice.getChain());
		assertThat(cache.get(key, this.now.plus(TIME_TO_LIVE))).isNull();
	}

	@Test
	void getWhenOtherPurposeOrHostThenMiss() {
		VerdictCache cache = new VerdictCache();
		cache.put(VerdictCache.key(this.alice.getChain(), "purpose", "a.svc"),
				validated(this.alice.getChain(), List.of()), this.now, TIME_TO_LIVE);

		assertThat(cache.get(VerdictCache.key(this.alice.getChain(), "other", "a.svc"), this.now)).isNull();
		assertThat(cache.get(VerdictCache.key(this.alice.getChain(), "purpose", "b.svc"), this.now)).isNull();
		assertThat(cache.get(VerdictCache.key(this.alice.getChain(), "purpose", null), this.now)).isNull();
	}

	@Test
	void putWhenFullThenForgetsEverythingBeforeAdding() {
		VerdictCache cache = new VerdictCache(2);
		IssuedCertificate bob = this.ca.certificate("bob").issue();
		IssuedCertificate carol = this.ca.certificate("carol").issue();
		cache.put(VerdictCache.key(this.alice.getChain(), "p", null), validated(this.alice.getChain(), List.of()),
				this.now, TIME_TO_LIVE);
		cache.put(VerdictCache.key(bob.getChain(), "p", null), validated(bob.getChain(), List.of()), this.now,
				TIME_TO_LIVE);

		cache.put(VerdictCache.key(carol.getChain(), "p", null), validated(carol.getChain(), List.of()), this.now,
				TIME_TO_LIVE);

		assertThat(cache.size()).isOne();
		assertThat(cache.get(VerdictCache.key(carol.getChain(), "p", null), this.now)).isEqualTo(carol.getChain());
		assertThat(cache.get(VerdictCache.key(this.alice.getChain(), "p", null), this.now)).isNull();
	}

	@Test
	void untilWhenLeafExpiresFirstThenLeafNotAfter() {
		Instant notAfter = this.now.plus(Duration.ofMinutes(1));
		IssuedCertificate shortLived = this.ca.certificate("short")
			.validity(this.now.minusSeconds(60), notAfter)
			.issue();

		assertThat(validated(shortLived.getChain(), List.of()).until(this.now, TIME_TO_LIVE)).isEqualTo(notAfter);
	}

	@Test
	void untilWhenAnchorExpiresFirstThenAnchorNotAfter() {
		Instant notAfter = this.now.plus(Duration.ofMinutes(2));
		CertificateAuthority shortCa = CertificateAuthority.selfSigned("Short CA")
			.ca()
			.validity(this.now.minusSeconds(60), notAfter)
			.issue()
			.asCertificateAuthority();
		Validated validated = new Validated(shortCa.certificate("x").issue().getChain(), shortCa.getCertificate(),
				List.of());

		assertThat(validated.until(this.now, TIME_TO_LIVE)).isEqualTo(notAfter);
	}

	@Test
	void untilWhenCrlDueFirstThenNextUpdate() throws Exception {
		X509CRL crl = CertificateValidator
			.readCrls(new ByteArrayInputStream(this.ca.crl(Duration.ofMinutes(3)).getBytes(StandardCharsets.US_ASCII)))
			.get(0);

		assertThat(validated(this.alice.getChain(), List.of(crl)).until(this.now, TIME_TO_LIVE))
			.isEqualTo(crl.getNextUpdate().toInstant());
	}

	@Test
	void untilWhenNothingExpiresSoonerThenTimeToLive() {
		assertThat(validated(this.alice.getChain(), List.of()).until(this.now, TIME_TO_LIVE))
			.isEqualTo(this.now.plus(TIME_TO_LIVE));
	}

	private Validated validated(List<X509Certificate> path, List<X509CRL> crls) {
		return new Validated(path, this.ca.getCertificate(), crls);
	}

}
