package dev.mtls.boot.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostMatcher}.
 */
class HostMatcherTests {

	@Test
	void matchesWhenSameNameThenTrue() {
		assertThat(HostMatcher.of("orders.svc").matches("orders.svc")).isTrue();
	}

	@Test
	void matchesWhenOtherNameThenFalse() {
		assertThat(HostMatcher.of("orders.svc").matches("billing.svc")).isFalse();
		assertThat(HostMatcher.of("orders.svc").matches("eu.orders.svc")).isFalse();
	}

	@Test
	void matchesWhenCaseDiffersThenTrue() {
		assertThat(HostMatcher.of("Orders.SVC").matches("orders.svc")).isTrue();
		assertThat(HostMatcher.of("orders.svc").matches("ORDERS.Svc")).isTrue();
	}

	@Test
	void matchesWhenTrailingDotOnEitherSideThenTrue() {
		assertThat(HostMatcher.of("orders.svc.").matches("orders.svc")).isTrue();
		assertThat(HostMatcher.of("orders.svc").matches("orders.svc.")).isTrue();
		assertThat(HostMatcher.of("*.orders.svc").matches("eu.orders.svc.")).isTrue();
	}

	@Test
	void matchesWhenTwoTrailingDotsThenFalse() {
		assertThat(HostMatcher.of("orders.svc").matches("orders.svc..")).isFalse();
	}

	@Test
	void matchesWhenPunycodeInEitherCaseThenTrue() {
		assertThat(HostMatcher.of("xn--bcher-kva.example").matches("XN--BCHER-KVA.example")).isTrue();
	}

	@Test
	void matchesWhenUnicodeHostAndPunycodeNameThenFalse() {
		assertThat(HostMatcher.of("xn--bcher-kva.example").matches("bücher.example")).isFalse();
	}

	@Test
	void matchesWhenWildcardLeftmostLabelThenMatchesExactlyOneLabel() {
		HostMatcher matcher = HostMatcher.of("*.orders.svc");

		assertThat(matcher.matches("eu.orders.svc")).isTrue();
		assertThat(matcher.matches("a.eu.orders.svc")).isFalse();
		assertThat(matcher.matches("orders.svc")).isFalse();
		assertThat(matcher.matches(".orders.svc")).isFalse();
		assertThat(matcher.matches("euorders.svc")).isFalse();
	}

	@Test
	void matchesWhenHostLabelIsItselfWildcardThenFalse() {
		assertThat(HostMatcher.of("*.orders.svc").matches("*.orders.svc")).isFalse();
	}

	@Test
	void matchesWhenPartialWildcardThenNothingMatches() {
		assertThat(HostMatcher.of("eu*.orders.svc").matches("eu1.orders.svc")).isFalse();
		assertThat(HostMatcher.of("*eu.orders.svc").matches("aeu.orders.svc")).isFalse();
		assertThat(HostMatcher.of("eu*.orders.svc").matches("eu*.orders.svc")).isFalse();
	}

	@Test
	void matchesWhenWildcardNotLeftmostThenNothingMatches() {
		assertThat(HostMatcher.of("eu.*.svc").matches("eu.orders.svc")).isFalse();
		assertThat(HostMatcher.of("*.*.svc").matches("a.b.svc")).isFalse();
	}

	@Test
	void matchesWhenWildcardHasOneLabelAfterItThenNothingMatches() {
		assertThat(HostMatcher.of("*.svc").matches("orders.svc")).isFalse();
		assertThat(HostMatcher.of("*").matches("orders")).isFalse();
	}

	@Test
	void problemWhenValidPatternNameThenNull() {
		assertThat(HostMatcher.problem("orders.svc")).isNull();
		assertThat(HostMatcher.problem("Orders.SVC.")).isNull();
		assertThat(HostMatcher.problem("*.orders.svc")).isNull();
	}

	@Test
	void problemWhenEmptyLabelThenNamed() {
		assertThat(HostMatcher.problem("a..b.com")).isEqualTo("the host name has an empty label");
		assertThat(HostMatcher.problem("a.b.com..")).isEqualTo("the host name has an empty label");
		assertThat(HostMatcher.problem(".")).isEqualTo("the host name has an empty label");
	}

	@Test
	void problemWhenWildcardMisplacedThenNamed() {
		assertThat(HostMatcher.problem("a.*.com")).startsWith("'*' may only be the whole leftmost label");
		assertThat(HostMatcher.problem("*ops.acme.org")).startsWith("'*' may only be the whole leftmost label");
		assertThat(HostMatcher.problem("*.com")).startsWith("a wildcard needs at least two labels after it");
	}

	@Test
	void isIpAddressWhenLiteralThenTrue() {
		assertThat(HostMatcher.isIpAddress("10.0.0.7")).isTrue();
		assertThat(HostMatcher.isIpAddress("::1")).isTrue();
		assertThat(HostMatcher.isIpAddress("[2001:db8::1]")).isTrue();
	}

	@Test
	void isIpAddressWhenNameThenFalse() {
		assertThat(HostMatcher.isIpAddress("localhost")).isFalse();
		assertThat(HostMatcher.isIpAddress("10.0.0.7.nip.io")).isFalse();
	}

	@Test
	void sameAddressWhenIpv4EqualThenTrue() {
		assertThat(HostMatcher.sameAddress("127.0.0.1", "127.0.0.1")).isTrue();
		assertThat(HostMatcher.sameAddress("127.0.0.1", "127.0.0.2")).isFalse();
	}

	@Test
	void sameAddressWhenIpv6InAnyNotationThenTrue() {
		assertThat(HostMatcher.sameAddress("0:0:0:0:0:0:0:1", "::1")).isTrue();
		assertThat(HostMatcher.sameAddress("0:0:0:0:0:0:0:1", "[::1]")).isTrue();
		assertThat(HostMatcher.sameAddress("2001:DB8:0:0:0:0:0:1", "2001:db8::1")).isTrue();
	}

	@Test
	void sameAddressWhenIpv4AndIpv6ThenFalse() {
		assertThat(HostMatcher.sameAddress("127.0.0.1", "::1")).isFalse();
	}

	@Test
	void sameAddressWhenHostIsNameThenFalseWithoutLookup() {
		assertThat(HostMatcher.sameAddress("127.0.0.1", "localhost")).isFalse();
	}

}
