package dev.mtls.boot.identity;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Glob}.
 */
class GlobTests {

	@Test
	void matchesWhenNoStarThenWholeValueOnly() {
		assertThat(Glob.of("orders", false).matches("orders")).isTrue();
		assertThat(Glob.of("orders", false).matches("orders-eu")).isFalse();
		assertThat(Glob.of("orders", false).matches("order")).isFalse();
		assertThat(Glob.of("", false).matches("")).isTrue();
		assertThat(Glob.of("", false).matches("a")).isFalse();
	}

	@Test
	void matchesWhenStarsThenAnyRunIncludingNone() {
		assertThat(Glob.of("orders-*", false).matches("orders-")).isTrue();
		assertThat(Glob.of("orders-*", false).matches("orders-eu")).isTrue();
		assertThat(Glob.of("*-eu", false).matches("orders-eu")).isTrue();
		assertThat(Glob.of("o*s-*u", false).matches("orders-eu")).isTrue();
		assertThat(Glob.of("*", false).matches("")).isTrue();
		assertThat(Glob.of("**", false).matches("anything")).isTrue();
		assertThat(Glob.of("*rd*rs*", false).matches("orders")).isTrue();
		assertThat(Glob.of("*rd*rd*", false).matches("orders")).isFalse();
	}

	@Test
	void matchesWhenPrefixAndSuffixWouldOverlapThenFalse() {
		assertThat(Glob.of("ab*ba", false).matches("aba")).isFalse();
		assertThat(Glob.of("ab*ba", false).matches("abba")).isTrue();
		assertThat(Glob.of("a*a", false).matches("a")).isFalse();
	}

	@Test
	void matchesWhenCaseDiffersThenOnlyIfIgnoringCase() {
		assertThat(Glob.of("OPS-*", true).matches("ops-eu")).isTrue();
		assertThat(Glob.of("ops-*@ACME.org", true).matches("Ops-1@acme.ORG")).isTrue();
		assertThat(Glob.of("OPS-*", false).matches("ops-eu")).isFalse();
	}

	@Test
	void matchesWhenLineTerminatorThenStarCoversIt() {
		assertThat(Glob.of("ops-*", false).matches("ops-\nadmin")).isTrue();
	}

	/**
	 * The input fuzzing found ({@code IdentityPatternFuzzTestsInputs}), and a value of
	 * 10,000 characters, against which a regular expression of a {@code .*} per star does
	 * not finish.
	 */
	@Test
	@Timeout(10)
	void matchesWhenManyStarsAndNoMatchThenAnswersAtOnce() {
		Glob glob = Glob.of("********=\u000b***\u009f*****\ufffd", false);
		assertThat(glob.matches("spiffe://example.org/ns/prod/sa/alice")).isFalse();
		assertThat(glob.matches("a".repeat(10_000))).isFalse();
		assertThat(Glob.of("*a*a*a*a*a*a*a*a*b", false).matches("a".repeat(10_000))).isFalse();
	}

	/**
	 * The regular expression the glob replaced, on every line-free value: the same
	 * answers for 20,000 random globs and values over a small alphabet.
	 */
	@Test
	void matchesWhenComparedWithRegularExpressionThenSameAnswers() {
		Random random = new Random(17);
		for (int i = 0; i < 20_000; i++) {
			String glob = random(random, "ab*A", 6);
			String value = random(random, "abAB", 8);
			boolean ignoreCase = random.nextBoolean();
			assertThat(Glob.of(glob, ignoreCase).matches(value)).as("%s against %s", glob, value)
				.isEqualTo(regex(glob, ignoreCase).matcher(value).matches());
		}
	}

	private static String random(Random random, String alphabet, int maxLength) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(maxLength + 1);
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private static Pattern regex(String glob, boolean ignoreCase) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
	}

}
