package dev.mtls.boot.test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.CertificateRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a test persona's certificate holds: its names, validity, key and how it is issued.
 * A client certificate with the clientAuth usage, an EC P-256 key, signed with SHA-256 by
 * the test CA and valid for a year, unless the spec says otherwise.
 *
 * <pre class="code">
 * TestCertificate checkout = certificates.client((spec) -&gt; spec
 *     .commonName("checkout")
 *     .spiffeId("spiffe://acme.org/ns/shop/sa/checkout"));
 * TestCertificate stale = certificates.client((spec) -&gt; spec.commonName("alice").expired());
 * </pre>
 *
 * @since 0.1.0
 * @see TestCertificates#client(java.util.function.Consumer)
 * @see TestCertificateAuthority#client(java.util.function.Consumer)
 */
public final class TestCertificateSpec {

	private @Nullable String commonName;

	private @Nullable String subject;

	private final List<String> dnsNames = new ArrayList<>();

	private final List<String> uris = new ArrayList<>();

	private final List<String> emails = new ArrayList<>();

	private final List<String> ipAddresses = new ArrayList<>();

	private @Nullable Instant notBefore;

	private @Nullable Instant notAfter;

	private boolean untrusted;

	private boolean clientAuthUsage = true;

	private boolean serverAuthUsage;

	private int rsaKeySize;

	private boolean sha1;

	private boolean caCertificate;

	TestCertificateSpec() {
	}

	/**
	 * Set the subject's common name ({@code CN}).
	 * @param commonName the common name
	 * @return this spec
	 */
	public TestCertificateSpec commonName(String commonName) {
		Assert.hasText(commonName, "'commonName' must not be empty");
		this.commonName = commonName;
		return this;
	}

	/**
	 * Set the whole subject distinguished name in RFC 4514 form, such as
	 * {@code CN=alice,OU=payments,O=Acme}; it replaces a {@link #commonName(String)
	 * common name}.
	 * @param distinguishedName the subject DN
	 * @return this spec
	 */
	public TestCertificateSpec subject(String distinguishedName) {
		Assert.hasText(distinguishedName, "'distinguishedName' must not be empty");
		this.subject = distinguishedName;
		return this;
	}

	/**
	 * Add a SPIFFE ID (a {@code spiffe://} URI subject alternative name).
	 * @param spiffeId the SPIFFE ID, such as
	 * {@code spiffe://acme.org/ns/shop/sa/checkout}
	 * @return this spec
	 */
	public TestCertificateSpec spiffeId(String spiffeId) {
		Assert.isTrue(spiffeId.toLowerCase(Locale.ROOT).startsWith("spiffe://"),
				() -> "A SPIFFE ID starts with 'spiffe://': '" + spiffeId + "'");
		return uri(spiffeId);
	}

	/**
	 * Add a DNS subject alternative name.
	 * @param dnsName the host name
	 * @return this spec
	 */
	public TestCertificateSpec dnsName(String dnsName) {
		Assert.hasText(dnsName, "'dnsName' must not be empty");
		this.dnsNames.add(dnsName);
		return this;
	}

	/**
	 * Add a URI subject alternative name.
	 * @param uri an absolute URI
	 * @return this spec
	 */
	public TestCertificateSpec uri(String uri) {
		Assert.isTrue(URI.create(uri).isAbsolute(), () -> "A URI subject alternative name is absolute: '" + uri + "'");
		this.uris.add(uri);
		return this;
	}

	/**
	 * Add an e-mail ({@code rfc822Name}) subject alternative name.
	 * @param email the address
	 * @return this spec
	 */
	public TestCertificateSpec email(String email) {
		Assert.hasText(email, "'email' must not be empty");
		this.emails.add(email);
		return this;
	}

	/**
	 * Add an IP address subject alternative name.
	 * @param ipAddress an IPv4 or IPv6 literal
	 * @return this spec
	 */
	public TestCertificateSpec ipAddress(String ipAddress) {
		Assert.hasText(ipAddress, "'ipAddress' must not be empty");
		this.ipAddresses.add(ipAddress);
		return this;
	}

	/**
	 * Make the certificate one that expired yesterday (valid for the 30 days before).
	 * @return this spec
	 */
	public TestCertificateSpec expired() {
		Instant now = now();
		return validity(now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)));
	}

	/**
	 * Make the certificate valid from tomorrow only.
	 * @return this spec
	 */
	public TestCertificateSpec notYetValid() {
		Instant now = now();
		return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(31)));
	}

	/**
	 * Make the certificate valid from now for the given time (for example a few seconds,
	 * to watch it expire, or days, to test expiry warnings).
	 * @param validity how long the certificate is valid
	 * @return this spec
	 */
	public TestCertificateSpec validFor(Duration validity) {
		Assert.isTrue(!validity.isNegative() && !validity.isZero(), "'validity' must be positive");
		Instant now = Instant.now();
		return validity(now.minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS), now.plus(validity));
	}

	/**
	 * Set the validity period.
	 * @param notBefore the start of validity
	 * @param notAfter the end of validity
	 * @return this spec
	 */
	public TestCertificateSpec validity(Instant notBefore, Instant notAfter) {
		Assert.isTrue(notBefore.isBefore(notAfter), "'notBefore' must be before 'notAfter'");
		this.notBefore = notBefore;
		this.notAfter = notAfter;
		return this;
	}

	/**
	 * Issue the certificate from another CA, one that the test CA's trust does not
	 * include.
	 * @return this spec
	 */
	public TestCertificateSpec untrusted() {
		this.untrusted = true;
		return this;
	}

	/**
	 * Leave the clientAuth extended key usage out (the certificate lists serverAuth
	 * only), as a server-only certificate does.
	 * @return this spec
	 */
	public TestCertificateSpec withoutClientAuthUsage() {
		this.clientAuthUsage = false;
		this.serverAuthUsage = true;
		return this;
	}

	/**
	 * Add the serverAuth extended key usage, for a certificate that a server presents.
	 * @return this spec
	 */
	public TestCertificateSpec serverAuthUsage() {
		this.serverAuthUsage = true;
		return this;
	}

	/**
	 * Use an RSA key of the given size instead of EC P-256 (1024 to test that weak keys
	 * are refused).
	 * @param bits the key size in bits
	 * @return this spec
	 */
	public TestCertificateSpec rsa(int bits) {
		Assert.isTrue(bits >= 512, "'bits' must be at least 512");
		this.rsaKeySize = bits;
		return this;
	}

	/**
	 * Sign the certificate with SHA-1, which the starter's policy refuses by default.
	 * @return this spec
	 */
	public TestCertificateSpec sha1() {
		this.sha1 = true;
		return this;
	}

	/**
	 * Make the certificate a CA certificate (basic constraints CA), which the starter
	 * never accepts as a client.
	 * @return this spec
	 */
	public TestCertificateSpec caCertificate() {
		this.caCertificate = true;
		return this;
	}

	boolean isUntrusted() {
		return this.untrusted;
	}

	CertificateRequest toRequest(CertificateAuthority issuer) {
		Assert.state(this.commonName != null || this.subject != null || hasAlternativeNames(),
				"A test certificate needs a name: set a common name, a subject or a subject alternative name");
		CertificateRequest request = issuer.certificate((this.commonName != null) ? this.commonName : "");
		if (this.subject != null) {
			request.subject(this.subject);
		}
		else if (this.commonName == null) {
			request.withoutCommonName();
		}
		request.dnsNames(this.dnsNames.toArray(String[]::new))
			.uris(this.uris.toArray(String[]::new))
			.emails(this.emails.toArray(String[]::new))
			.ipAddresses(this.ipAddresses.toArray(String[]::new));
		if (this.clientAuthUsage) {
			request.clientAuth();
		}
		if (this.serverAuthUsage) {
			request.serverAuth();
		}
		if (this.notBefore != null && this.notAfter != null) {
			request.validity(this.notBefore, this.notAfter);
		}
		if (this.rsaKeySize > 0) {
			request.rsa(this.rsaKeySize);
		}
		if (this.sha1) {
			String keyAlgorithm = issuer.getPrivateKey().getAlgorithm();
			request.signatureAlgorithm("RSA".equals(keyAlgorithm) ? "SHA1withRSA" : "SHA1withECDSA");
		}
		if (this.caCertificate) {
			request.ca();
		}
		return request;
	}

	private boolean hasAlternativeNames() {
		return !this.dnsNames.isEmpty() || !this.uris.isEmpty() || !this.emails.isEmpty()
				|| !this.ipAddresses.isEmpty();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

}
