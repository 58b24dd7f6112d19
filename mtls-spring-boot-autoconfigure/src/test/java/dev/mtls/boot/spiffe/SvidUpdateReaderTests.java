package dev.mtls.boot.spiffe;

import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import io.spiffe.workloadapi.grpc.Workload.X509SVID;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SvidUpdateReader}.
 */
class SvidUpdateReaderTests {

	private final CertificateAuthority ca = CertificateAuthority.create("Reader Test CA");

	private final CertificateAuthority partner = CertificateAuthority.create("Reader Test Partner CA");

	@Test
	void readWhenOneSvidThenItAndTheBundlesByTrustDomain() throws Exception {
		IssuedCertificate orders = svid(this.ca, "spiffe://example.org/orders");
		X509SVIDResponse response = X509SVIDResponse.newBuilder()
			.addSvids(entry(orders, "spiffe://example.org/orders", "", this.ca))
			.putFederatedBundles("spiffe://partner.org", der(this.partner.getCertificate()))
			.build();

		SvidUpdate update = new SvidUpdateReader(null).read(response);

		assertThat(update.spiffeId()).isEqualTo("spiffe://example.org/orders");
		assertThat(update.material().chain()).containsExactlyElementsOf(orders.getChain());
		assertThat(update.material().privateKey()).isEqualTo(orders.getPrivateKey());
		assertThat(update.material().trustDomains()).containsOnlyKeys("example.org", "partner.org");
		assertThat(update.material().trustDomains().get("partner.org")).containsExactly(this.partner.getCertificate());
	}

	@Test
	void readWhenHintThenThatSvid() throws Exception {
		IssuedCertificate first = svid(this.ca, "spiffe://example.org/first");
		IssuedCertificate second = svid(this.ca, "spiffe://example.org/second");
		X509SVIDResponse response = X509SVIDResponse.newBuilder()
			.addSvids(entry(first, "spiffe://example.org/first", "internal", this.ca))
			.addSvids(entry(second, "spiffe://example.org/second", "external", this.ca))
			.build();

		assertThat(new SvidUpdateReader(null).read(response).spiffeId()).isEqualTo("spiffe://example.org/first");
		assertThat(new SvidUpdateReader("external").read(response).spiffeId()).isEqualTo("spiffe://example.org/second");
		assertThatExceptionOfType(UnusableUpdateException.class)
			.isThrownBy(() -> new SvidUpdateReader("other").read(response))
			.withMessage("none of its 2 X.509 SVIDs has the hint 'other' (mtls.spiffe.svid-hint); their hints: "
					+ "'internal', 'external'");
	}

	@Test
	void readWhenFederatedBundleForOwnTrustDomainThenOwnBundleWins() throws Exception {
		IssuedCertificate orders = svid(this.ca, "spiffe://example.org/orders");
		X509SVIDResponse response = X509SVIDResponse.newBuilder()
			.addSvids(entry(orders, "spiffe://example.org/orders", "", this.ca))
			.putFederatedBundles("spiffe://example.org", der(this.partner.getCertificate()))
			.build();

		assertThat(new SvidUpdateReader(null).read(response).material().trustDomains().get("example.org"))
			.containsExactly(this.ca.getCertificate());
	}

	@Test
	void readWhenNoSvidThenUnusable() {
		assertThatExceptionOfType(UnusableUpdateException.class)
			.isThrownBy(() -> new SvidUpdateReader(null).read(X509SVIDResponse.getDefaultInstance()))
			.withMessage("the response holds no X.509 SVID");
	}

	@Test
	void readWhenSvidIsGarbageThenUnusable() {
		X509SVIDResponse response = X509SVIDResponse.newBuilder()
			.addSvids(X509SVID.newBuilder()
				.setSpiffeId("spiffe://example.org/x")
				.setX509Svid(ByteString.copyFromUtf8("garbage"))
				.setX509SvidKey(ByteString.copyFromUtf8("garbage")))
			.build();

		assertThatExceptionOfType(UnusableUpdateException.class)
			.isThrownBy(() -> new SvidUpdateReader(null).read(response))
			.withMessageStartingWith("the X.509 SVID 'spiffe://example.org/x' is invalid: ");
	}

	@Test
	void readWhenCertificateWithoutSpiffeIdThenUnusable() throws Exception {
		IssuedCertificate plain = this.ca.certificate("plain").clientAuth().issue();
		X509SVIDResponse response = X509SVIDResponse.newBuilder()
			.addSvids(entry(plain, "spiffe://example.org/plain", "", this.ca))
			.build();

		assertThatExceptionOfType(UnusableUpdateException.class)
			.isThrownBy(() -> new SvidUpdateReader(null).read(response))
			.withMessageStartingWith("the X.509 SVID 'spiffe://example.org/plain' is invalid: ");
	}

	@Test
	void readWhenOwnBundleEmptyThenUnusableAndFederatedBundleGarbageThenLeftOutOrKept() throws Exception {
		IssuedCertificate orders = svid(this.ca, "spiffe://example.org/orders");
		X509SVIDResponse empty = X509SVIDResponse.newBuilder()
			.addSvids(entry(orders, "spiffe://example.org/orders", "", this.ca).toBuilder().setBundle(ByteString.EMPTY))
			.build();
		X509SVIDResponse garbage = X509SVIDResponse.newBuilder()
			.addSvids(entry(orders, "spiffe://example.org/orders", "", this.ca))
			.putFederatedBundles("spiffe://partner.org", ByteString.copyFromUtf8("garbage"))
			.build();

		assertThatExceptionOfType(UnusableUpdateException.class)
			.isThrownBy(() -> new SvidUpdateReader(null).read(empty))
			.withMessageStartingWith("the bundle of 'example.org' ");
		// A bad federated bundle does not hold up the workload's own SVID.
		SvidUpdate withoutPartner = new SvidUpdateReader(null).read(garbage);
		assertThat(withoutPartner.material().trustDomains()).containsOnlyKeys("example.org");
		assertThat(withoutPartner.problems()).singleElement()
			.asString()
			.startsWith("the bundle of 'partner.org' is invalid: ")
			.endsWith("; its peers are refused until a valid one comes");
		SvidUpdate keptPartner = new SvidUpdateReader(null).read(garbage,
				Map.of("partner.org", List.of(this.partner.getCertificate())));
		assertThat(keptPartner.material().trustDomains().get("partner.org"))
			.containsExactly(this.partner.getCertificate());
		assertThat(keptPartner.problems()).singleElement().asString().endsWith("; the bundle read before stays in use");
	}

	private static IssuedCertificate svid(CertificateAuthority authority, String spiffeId) {
		return authority.certificate("svid").withoutCommonName().uris(spiffeId).clientAuth().serverAuth().issue();
	}

	private static X509SVID entry(IssuedCertificate svid, String spiffeId, String hint, CertificateAuthority bundle)
			throws Exception {
		return X509SVID.newBuilder()
			.setSpiffeId(spiffeId)
			.setX509Svid(der(svid.getChain().toArray(X509Certificate[]::new)))
			.setX509SvidKey(ByteString.copyFrom(svid.getPrivateKey().getEncoded()))
			.setBundle(der(bundle.getCertificate()))
			.setHint(hint)
			.build();
	}

	private static ByteString der(X509Certificate... certificates) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (X509Certificate certificate : List.of(certificates)) {
			out.writeBytes(certificate.getEncoded());
		}
		return ByteString.copyFrom(out.toByteArray());
	}

}
