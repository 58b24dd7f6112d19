package dev.mtls.boot.identity;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.boot.test.TestCertificate;
import dev.mtls.boot.test.TestCertificateAuthority;

/**
 * {@link IdentityPattern} parsing and matching, as {@code mtls.authorization} rules bind
 * them: the contract is a pattern, or {@link InvalidIdentityPatternException} naming the
 * problem; a pattern matches an identity or not, never fails. The seeds (in
 * {@code IdentityPatternFuzzTestsInputs}) are the README's patterns.
 */
class IdentityPatternFuzzTests {

	private static final CertificateIdentity IDENTITY = identity();

	@FuzzTest(maxDuration = "10s")
	void parseAndMatch(byte[] input) {
		IdentityPattern pattern;
		try {
			pattern = IdentityPattern.parse(new String(input, StandardCharsets.UTF_8));
		}
		catch (InvalidIdentityPatternException ex) {
			return;
		}
		pattern.matches(IDENTITY);
		pattern.matches(IDENTITY, Set.of("ROLE_ADMIN", "SCOPE_read"));
	}

	private static CertificateIdentity identity() {
		try (TestCertificateAuthority ca = TestCertificateAuthority.create()) {
			TestCertificate alice = ca.client((spec) -> spec.commonName("alice")
				.dnsName("alice.example.org")
				.dnsName("*.svc.example.org")
				.spiffeId("spiffe://example.org/ns/prod/sa/alice")
				.email("alice@example.org")
				.ipAddress("127.0.0.1")
				.ipAddress("::1"));
			return CertificateIdentity.of(List.of(alice.getCertificate()), PrincipalName.CN);
		}
	}

}
