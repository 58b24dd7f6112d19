package dev.mtls.boot.trust;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CertificateRejectedException}.
 */
class CertificateRejectedExceptionTests {

	@Test
	void getMessageWhenWordsQuoteControlCharactersThenEscaped() {
		CertificateRejectedException ex = new CertificateRejectedException(Reason.NAME_MISMATCH,
				"certificate is for [evil\n1999-12-31T23:59:59.999Z, \u202Eadmin], not for 'orders'");

		assertThat(ex.getMessage())
			.isEqualTo("certificate is for [evil\\n1999-12-31T23:59:59.999Z, \\u202Eadmin], not for 'orders'");
	}

	@Test
	void getMessageWhenVeryLongThenCut() {
		CertificateRejectedException ex = new CertificateRejectedException(Reason.UNTRUSTED, "x".repeat(1_000_000));

		assertThat(ex.getMessage()).hasSizeLessThan(CertificateText.MAX_MESSAGE_LENGTH + 40)
			.endsWith(" more characters)");
	}

}
