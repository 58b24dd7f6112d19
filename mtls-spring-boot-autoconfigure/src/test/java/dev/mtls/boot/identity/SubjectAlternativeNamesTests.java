package dev.mtls.boot.identity;

import java.security.cert.X509Certificate;

import dev.mtls.boot.identity.SubjectAlternativeNames.Name;
import dev.mtls.boot.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SubjectAlternativeNames}.
 */
class SubjectAlternativeNamesTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Test CA");

	@Test
	void ofWhenNamesOfEachTypeThenTypedInCertificateOrder() throws Exception {
		X509Certificate certificate = this.ca.certificate("orders")
			.dnsNames("orders.svc")
			.uris("spiffe://acme.org/ns/shop/sa/orders")
			.emails("orders@acme.org")
			.ipAddresses("::1")
			.issue()
			.getCertificate();

		assertThat(SubjectAlternativeNames.of(certificate)).containsExactly(
				new Name(SubjectAlternativeNames.DNS, "orders.svc"),
				new Name(SubjectAlternativeNames.URI, "spiffe://acme.org/ns/shop/sa/orders"),
				new Name(SubjectAlternativeNames.EMAIL, "orders@acme.org"),
				new Name(SubjectAlternativeNames.IP_ADDRESS, "0:0:0:0:0:0:0:1"));
	}

	@Test
	void ofWhenNoExtensionThenEmpty() throws Exception {
		X509Certificate certificate = this.ca.certificate("plain").issue().getCertificate();

		assertThat(SubjectAlternativeNames.of(certificate)).isEmpty();
	}

	@Test
	void valuesOfWhenNamesThenValuesInOrder() {
		X509Certificate certificate = this.ca.certificate("orders")
			.dnsNames("orders.svc", "orders")
			.ipAddresses("10.0.0.7")
			.issue()
			.getCertificate();

		assertThat(SubjectAlternativeNames.valuesOf(certificate)).containsExactly("orders.svc", "orders", "10.0.0.7");
	}

}
