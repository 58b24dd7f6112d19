package dev.mtls.boot.identity;

import java.security.cert.X509Certificate;

import dev.mtls.boot.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CertificateText}.
 */
class CertificateTextTests {

	private static final String FORGED = "evil\n1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: admin";

	@Test
	void describeWhenSubjectEmptyThenNamesUriSanAsSpiffeSvidsHaveIt() {
		CertificateAuthority ca = CertificateAuthority.create("Text Test CA");
		X509Certificate svid = ca.certificate("svid")
			.withoutCommonName()
			.uris("spiffe://example.org/orders")
			.clientAuth()
			.issue()
			.getCertificate();

		assertThat(CertificateText.name(svid)).isEqualTo("spiffe://example.org/orders");
		assertThat(CertificateText.describe(svid))
			.startsWith("certificate 'spiffe://example.org/orders' (issuer 'CN=Text Test CA'");
	}

	@Test
	void escapeWhenNewlineAndFakeLogPrefixThenOneLine() {
		String escaped = CertificateText.escape(FORGED);

		assertThat(escaped).isEqualTo("evil\\n1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: admin");
		assertThat(escaped.lines()).hasSize(1);
	}

	@Test
	void escapeWhenCarriageReturnAndTabThenShortEscapes() {
		assertThat(CertificateText.escape("a\rb\tc\r\n")).isEqualTo("a\\rb\\tc\\r\\n");
	}

	@Test
	void escapeWhenAnsiEscapeSequenceThenEscaped() {
		assertThat(CertificateText.escape("\u001B[31mred\u001B[0m")).isEqualTo("\\u001B[31mred\\u001B[0m");
	}

	@Test
	void escapeWhenNulDelAndC1ControlsThenEscaped() {
		assertThat(CertificateText.escape("a\u0000b\u007Fc\u0085d\u009Be"))
			.isEqualTo("a\\u0000b\\u007Fc\\u0085d\\u009Be");
	}

	@Test
	void escapeWhenUnicodeLineAndParagraphSeparatorsThenEscaped() {
		assertThat(CertificateText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
	}

	@Test
	void escapeWhenBidiControlsThenEscaped() {
		assertThat(CertificateText.escape("admin\u202Etxt.exe\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069"))
			.isEqualTo("admin\\u202Etxt.exe\\u202A\\u202B\\u202C\\u202D\\u2066\\u2067\\u2068\\u2069");
	}

	@Test
	void escapeWhenZeroWidthAndByteOrderMarkThenEscaped() {
		assertThat(CertificateText.escape("ad\u200Bmin\uFEFF")).isEqualTo("ad\\u200Bmin\\uFEFF");
	}

	@Test
	void escapeWhenPrivateUseUnassignedOrLoneSurrogateThenEscaped() {
		assertThat(CertificateText.escape("a\uE000b\uFFFFc\uD800d\uDC00"))
			.isEqualTo("a\\uE000b\\uFFFFc\\uD800d\\uDC00");
	}

	@Test
	void escapeWhenSupplementaryPrivateUseThenBothUnitsEscaped() {
		assertThat(CertificateText.escape(new String(Character.toChars(0xF0000)))).isEqualTo("\\uDB80\\uDC00");
	}

	@Test
	void escapeWhenPlainAsciiThenUnchanged() {
		String subject = "CN=orders-7,OU=platform,O=Acme\\, Inc.,C=DE";

		assertThat(CertificateText.escape(subject)).isSameAs(subject);
	}

	@Test
	void escapeWhenOrdinaryNonAsciiThenUnchanged() {
		assertThat(CertificateText.escape("CN=Zoë Ωmega,O=Ärzte 東京 \uD83D\uDE00"))
			.isEqualTo("CN=Zoë Ωmega,O=Ärzte 東京 \uD83D\uDE00");
	}

	@Test
	void escapeWhenNullThenNullWord() {
		assertThat(CertificateText.escape(null)).isEqualTo("null");
	}

	@Test
	void escapeWhenLongerThanFieldLimitThenCutWithMarker() {
		String text = "x".repeat(1_000_000);

		String escaped = CertificateText.escape(text);

		assertThat(escaped).isEqualTo("x".repeat(CertificateText.MAX_FIELD_LENGTH) + "...("
				+ (1_000_000 - CertificateText.MAX_FIELD_LENGTH) + " more characters)");
	}

	@Test
	void escapeWhenAtFieldLimitThenWhole() {
		String text = "x".repeat(CertificateText.MAX_FIELD_LENGTH);

		assertThat(CertificateText.escape(text)).isEqualTo(text);
	}

	@Test
	void escapeWhenLongControlTextThenOutputCutAtLimit() {
		// Each escaped character takes six: the limit is on what is written.
		int whole = CertificateText.MAX_FIELD_LENGTH / 6;

		String escaped = CertificateText.escape("\u0001".repeat(100_000));

		assertThat(escaped).isEqualTo("\\u0001".repeat(whole) + "...(" + (100_000 - whole) + " more characters)");
	}

	@Test
	void escapeWhenZeroWidthSubjectAtInputLimitThenOutputStillWithinLimit() {
		String escaped = CertificateText.escape("CN=" + "\u200B".repeat(CertificateText.MAX_FIELD_LENGTH - 3));

		assertThat(escaped.substring(0, escaped.indexOf("...(")))
			.hasSizeLessThanOrEqualTo(CertificateText.MAX_FIELD_LENGTH)
			.startsWith("CN=\\u200B");
	}

	@Test
	void escapeWhenCutWouldSplitSurrogatePairThenPairKeptWhole() {
		String text = "x".repeat(CertificateText.MAX_FIELD_LENGTH - 1) + "\uD83D\uDE00" + "tail";

		String escaped = CertificateText.escape(text);

		assertThat(escaped).isEqualTo("x".repeat(CertificateText.MAX_FIELD_LENGTH - 1) + "...(6 more characters)");
	}

	@Test
	void escapeMessageWhenLongerThanFieldLimitThenKeptToMessageLimit() {
		String message = "y".repeat(CertificateText.MAX_MESSAGE_LENGTH + 1);

		assertThat(CertificateText.escapeMessage(message))
			.isEqualTo("y".repeat(CertificateText.MAX_MESSAGE_LENGTH) + "...(1 more characters)");
	}

	@Test
	void escapeWhenAlreadyEscapedThenUnchanged() {
		String escaped = CertificateText.escape(FORGED);

		assertThat(CertificateText.escape(escaped)).isEqualTo(escaped);
	}

	@Test
	void describeWhenSubjectAndIssuerHoldNewlinesThenEscaped() {
		CertificateAuthority ca = CertificateAuthority.selfSigned("Evil\nCA").ca().issue().asCertificateAuthority();
		X509Certificate certificate = ca.certificate(FORGED).clientAuth().issue().getCertificate();

		String description = CertificateText.describe(certificate);

		assertThat(description).isEqualTo("certificate 'CN=evil\\n1999-12-31T23:59:59.999Z  INFO 1 --- [main] forged: "
				+ "admin' (issuer 'CN=Evil\\nCA', serial " + certificate.getSerialNumber().toString(16) + ")");
	}

}
