package dev.mtls.boot.identity;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DistinguishedNameKey}.
 */
class DistinguishedNameKeyTests {

	@Test
	void ofWhenSameNameWrittenDifferentlyThenSameKey() {
		assertThat(DistinguishedNameKey.of(new X500Principal("CN=Svc+UID=42, O=Acme")))
			.isEqualTo(DistinguishedNameKey.of(new X500Principal("uid=42+cn=svc,o=ACME")));
	}

	@Test
	void ofWhenRdnHoldsMoreAttributesThanTheBoundThenNoKeyAndNoCommonName() {
		// Reading an RDN's attributes is quadratic in their number, and a subject is read
		// before its chain is validated (by trust domain, with SPIFFE).
		String within = rdn(DistinguishedNameKey.MAX_RDN_ATTRIBUTES);
		String beyond = rdn(DistinguishedNameKey.MAX_RDN_ATTRIBUTES + 1);

		assertThat(DistinguishedNameKey.of(new X500Principal(within + ",O=Acme"))).isNotNull();
		assertThat(DistinguishedNameKey.of(new X500Principal(beyond + ",O=Acme"))).isNull();
		CertificateIdentity identity = CertificateIdentity.attested(
				new AttestedCertificate("ab".repeat(32), beyond + ",O=Acme", List.of(), List.of("spiffe://acme.org/x")),
				PrincipalName.SPIFFE_ID);
		assertThat(identity.getCommonName()).isNull();
		assertThatExceptionOfType(InvalidIdentityPatternException.class)
			.isThrownBy(() -> IdentityPattern.parse(beyond + ",O=Acme"))
			.withMessageContaining("at most 16 attributes in one RDN");
	}

	private static String rdn(int attributes) {
		return IntStream.range(0, attributes).mapToObj((i) -> "CN=a" + i).collect(Collectors.joining("+"));
	}

}
