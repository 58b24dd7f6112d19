package dev.mtls.boot.identity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import dev.mtls.boot.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CertificateIdentity}.
 */
class CertificateIdentityTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Test CA");

	@Test
	void ofWhenSubjectHasCommonNameThenNamedByIt() {
		CertificateIdentity identity = CertificateIdentity.of(this.ca.certificate("orders, \"eu\"")
			.organizationalUnit("shop")
			.organization("Acme")
			.issue()
			.getCertificate());

		assertThat(identity.getName()).isEqualTo("orders, \"eu\"");
		assertThat(identity.getSubject()).isEqualTo("CN=orders\\, \\\"eu\\\",OU=shop,O=Acme");
		assertThat(identity.getIssuer()).isEqualTo("CN=Test CA");
	}

	@Test
	void ofWhenCommonNameSharesItsRdnThenNamedByItNotByALessSpecificOne() {
		// Rdn.getType() names the first type in sorted order (C before CN), which hid the
		// most specific CN behind a less specific one.
		CertificateIdentity identity = CertificateIdentity
			.of(this.ca.certificate("x").subject("CN=evil+C=US,O=Acme,CN=admin").issue().getCertificate());

		assertThat(identity.getName()).isEqualTo("evil");
		assertThat(
				CertificateIdentity.of(this.ca.certificate("x").subject("CN=evil+C=US,O=Acme").issue().getCertificate())
					.getCommonName())
			.isEqualTo("evil");
	}

	@Test
	void ofWhenOneRdnHasTwoCommonNamesThenNoCommonName() {
		assertThatExceptionOfType(MissingIdentityAttributeException.class).isThrownBy(() -> CertificateIdentity
			.of(this.ca.certificate("x").subject("CN=a+CN=b,O=Acme").issue().getCertificate()));
	}

	@Test
	void attestedWhenProxySaysSubjectAndNamesThenIdentityWithoutCertificate() {
		AttestedCertificate attested = new AttestedCertificate("AB".repeat(32), "CN=orders,O=Acme",
				List.of("orders.svc"), List.of("spiffe://acme.org/ns/shop/sa/orders"));

		CertificateIdentity identity = CertificateIdentity.attested(attested, PrincipalName.SPIFFE_ID);

		assertThat(identity.getName()).isEqualTo("spiffe://acme.org/ns/shop/sa/orders");
		assertThat(identity.getSpiffeId()).isEqualTo("spiffe://acme.org/ns/shop/sa/orders");
		assertThat(identity.getCommonName()).isEqualTo("orders");
		assertThat(identity.getCanonicalSubject()).isEqualTo("cn=orders,o=acme");
		assertThat(identity.getDnsNames()).containsExactly("orders.svc");
		assertThat(identity.getSha256Fingerprint()).isEqualTo("ab".repeat(32));
		assertThat(identity.isAttestedByProxy()).isTrue();
		assertThat(identity.getChain()).isEmpty();
		assertThat(identity.getCertificate()).isNull();
		assertThat(identity.getIssuer()).isNull();
		assertThat(identity.getCanonicalIssuer()).isNull();
		assertThat(identity.getSerialNumber()).isNull();
		assertThat(identity.getNotBefore()).isNull();
		assertThat(identity.getNotAfter()).isNull();
		assertThat(IdentityPattern.parse("issuer:CN=Test CA").matches(identity)).isFalse();
		assertThat(IdentityPattern.parse("spiffe://acme.org/ns/shop/sa/*").matches(identity)).isTrue();
	}

	@Test
	void attestedWhenProxySaidTwoSpiffeIdsOrNoneThenMissingAttribute() {
		AttestedCertificate two = new AttestedCertificate("ab".repeat(32), "", List.of(),
				List.of("spiffe://acme.org/a", "spiffe://acme.org/b"));
		AttestedCertificate none = new AttestedCertificate("ab".repeat(32), "CN=a", List.of("a.example"),
				List.of("https://acme.org/a"));

		assertThatExceptionOfType(MissingIdentityAttributeException.class)
			.isThrownBy(() -> CertificateIdentity.attested(two, PrincipalName.SPIFFE_ID))
			.withMessageContaining("2 spiffe:// URI SANs");
		assertThatExceptionOfType(MissingIdentityAttributeException.class)
			.isThrownBy(() -> CertificateIdentity.attested(none, PrincipalName.SPIFFE_ID))
			.withMessageContaining("no SPIFFE ID");
	}

	@Test
	void ofWhenCertificateThenNotAttestedByProxy() {
		assertThat(CertificateIdentity.of(this.ca.certificate("orders").issue().getCertificate()).isAttestedByProxy())
			.isFalse();
	}

	@Test
	void ofWhenSubjectHasNoCommonNameThenMissingAttribute() {
		var certificate = this.ca.certificate("x").withoutCommonName().organization("Acme").issue().getCertificate();

		assertThatExceptionOfType(MissingIdentityAttributeException.class)
			.isThrownBy(() -> CertificateIdentity.of(certificate))
			.withMessage("Client certificate 'O=Acme' cannot name a principal: it has no subject common name");
	}

	@Test
	void ofWhenSubjectAlternativeNamesThenAllReadOnce() throws Exception {
		var certificate = this.ca.certificate("orders")
			.dnsNames("orders.svc", "orders")
			.uris("spiffe://acme.org/ns/shop/sa/orders", "https://acme.org/orders")
			.emails("orders@acme.org")
			.ipAddresses("10.0.0.7", "::1")
			.issue()
			.getCertificate();

		CertificateIdentity identity = CertificateIdentity.of(List.of(certificate), PrincipalName.URI);

		assertThat(identity.getName()).isEqualTo("spiffe://acme.org/ns/shop/sa/orders");
		assertThat(identity.getDnsNames()).containsExactly("orders.svc", "orders");
		assertThat(identity.getUris()).containsExactly("spiffe://acme.org/ns/shop/sa/orders",
				"https://acme.org/orders");
		assertThat(identity.getSpiffeId()).isEqualTo("spiffe://acme.org/ns/shop/sa/orders");
		assertThat(identity.getEmails()).containsExactly("orders@acme.org");
		assertThat(identity.getIpAddresses()).containsExactly("10.0.0.7", "0:0:0:0:0:0:0:1");
		assertThat(identity.getSha256Fingerprint())
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
		assertThat(identity.getNotAfter()).isEqualTo(certificate.getNotAfter().toInstant());
		assertThat(identity.getChain()).containsExactly(certificate);
	}

	@Test
	void ofWhenSpiffeIdOfAnotherTrustDomainThenFederatedAndNamedBySpiffeId() {
		List<X509Certificate> chain = List
			.of(this.ca.certificate("ops-console").uris("spiffe://partner.org/ops").issue().getCertificate());

		CertificateIdentity federated = CertificateIdentity.of(chain, PrincipalName.CN, "acme.org");
		CertificateIdentity local = CertificateIdentity.of(chain, PrincipalName.CN, "partner.org");
		CertificateIdentity withoutSpiffe = CertificateIdentity.of(chain, PrincipalName.CN);

		assertThat(federated.isFederated()).isTrue();
		assertThat(federated.getName()).isEqualTo("spiffe://partner.org/ops");
		assertThat(federated.getCommonName()).isEqualTo("ops-console");
		assertThat(local.isFederated()).isFalse();
		assertThat(local.getName()).isEqualTo("ops-console");
		assertThat(withoutSpiffe.isFederated()).isFalse();
		assertThat(withoutSpiffe.getName()).isEqualTo("ops-console");
		assertThat(federated).isNotEqualTo(local);
	}

	@Test
	void ofWhenNoSpiffeIdAndLocalTrustDomainThenNotFederated() {
		CertificateIdentity identity = CertificateIdentity
			.of(List.of(this.ca.certificate("ops").issue().getCertificate()), PrincipalName.CN, "acme.org");

		assertThat(identity.isFederated()).isFalse();
		assertThat(identity.getName()).isEqualTo("ops");
	}

	@Test
	void ofWhenAForeignSpiffeUriBesideALocalOneThenFederatedAndNamedByNobody() {
		// Two spiffe:// URIs make no SPIFFE ID; the foreign one still makes it federated.
		List<X509Certificate> chain = List.of(this.ca.certificate("ops-console")
			.uris("spiffe://acme.org/ops", "spiffe://partner.org/ops")
			.issue()
			.getCertificate());

		assertThatExceptionOfType(MissingIdentityAttributeException.class)
			.isThrownBy(() -> CertificateIdentity.of(chain, PrincipalName.CN, "acme.org"));
		assertThatExceptionOfType(MissingIdentityAttributeException.class).isThrownBy(() -> CertificateIdentity.of(
				List.of(this.ca.certificate("ops-console").uris("spiffe://Acme.org/ops").issue().getCertificate()),
				PrincipalName.CN, "acme.org"));
	}

	@Test
	void attestedWhenSpiffeIdOfAnotherTrustDomainThenFederatedAndNamedBySpiffeId() {
		AttestedCertificate attested = new AttestedCertificate("ab".repeat(32), "CN=ops-console,O=Acme", List.of(),
				List.of("spiffe://partner.org/ops"));

		CertificateIdentity identity = CertificateIdentity.attested(attested, PrincipalName.CN, "acme.org");

		assertThat(identity.isFederated()).isTrue();
		assertThat(identity.getName()).isEqualTo("spiffe://partner.org/ops");
	}

	@Test
	void ofWhenFederatedAndSerializedThenStillFederated() throws Exception {
		CertificateIdentity identity = CertificateIdentity.of(
				List.of(this.ca.certificate("ops").uris("spiffe://partner.org/ops").issue().getCertificate()),
				PrincipalName.CN, "acme.org");
		var bytes = new ByteArrayOutputStream();
		try (var out = new ObjectOutputStream(bytes)) {
			out.writeObject(identity);
		}

		CertificateIdentity copy = (CertificateIdentity) new ObjectInputStream(
				new ByteArrayInputStream(bytes.toByteArray()))
			.readObject();

		assertThat(copy.isFederated()).isTrue();
		assertThat(copy).isEqualTo(identity);
		assertThat(IdentityPattern.parse("cn:ops").matches(copy)).isFalse();
	}

	@Test
	void ofWhenSerializedThenEqualAfterwards() throws Exception {
		CertificateIdentity identity = CertificateIdentity.of(this.ca.certificate("alice").issue().getCertificate());
		var bytes = new ByteArrayOutputStream();
		try (var out = new ObjectOutputStream(bytes)) {
			out.writeObject(identity);
		}

		Object copy = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();

		assertThat(copy).isEqualTo(identity).hasSameHashCodeAs(identity);
	}

	@Test
	void toStringWhenSubjectHoldsNewlineThenEscaped() {
		CertificateIdentity identity = CertificateIdentity
			.of(this.ca.certificate("evil\nforged").issue().getCertificate());

		assertThat(identity).hasToString("CertificateIdentity[CN=evil\\nforged]");
		assertThat(identity.getName()).isEqualTo("evil\nforged");
	}

	@Test
	void ofWhenSubjectHoldsNewlineAndNoCommonNameThenMissingAttributeMessageEscaped() {
		var certificate = this.ca.certificate("x")
			.withoutCommonName()
			.organization("Evil\nforged")
			.issue()
			.getCertificate();

		assertThatExceptionOfType(MissingIdentityAttributeException.class)
			.isThrownBy(() -> CertificateIdentity.of(certificate))
			.withMessage("Client certificate 'O=Evil\\nforged' cannot name a principal: it has no subject common name");
	}

}
