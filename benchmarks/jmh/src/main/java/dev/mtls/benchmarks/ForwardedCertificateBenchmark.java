package dev.mtls.benchmarks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mtls.boot.forwarded.ForwardedCertificateFormat;
import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.ForwardedRequest;
import dev.mtls.boot.forwarded.HeaderValues;
import dev.mtls.boot.forwarded.TrustedProxies;
import dev.mtls.boot.identity.CertificateFingerprint;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.CertificateValidator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the forwarded path adds to a request whose certificate was seen before: decide
 * that the peer is a trusted proxy (its chain's kept verdict, its identity matched), read
 * the forwarded chain (a cache hit per header value) and validate it (a kept verdict).
 * Production-shaped PKI: root, issuing CA, leaves; the header carries leaf and issuing
 * CA, as a fresh string per request, as a server reads it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForwardedCertificateBenchmark {

	@Param({ "xfcc", "nginx-chain" })
	String format;

	ForwardedCertificateResolver resolver;

	X509Certificate[] proxy;

	String header;

	String value;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		CertificateAuthority root = CertificateAuthority.selfSigned("Bench Root CA")
			.ca()
			.issue()
			.asCertificateAuthority();
		CertificateAuthority issuing = root.certificate("Bench Issuing CA").ca().issue().asCertificateAuthority();
		this.proxy = issuing.certificate("proxy").clientAuth().issue().getChain().toArray(X509Certificate[]::new);
		X509Certificate[] client = issuing.certificate("alice")
			.clientAuth()
			.issue()
			.getChain()
			.toArray(X509Certificate[]::new);
		CertificateValidator validator = CertificateValidator.of(List.of(root.getCertificate()), List.of(),
				CertificatePolicy.DEFAULT, Clock.systemUTC());
		TrustedProxies proxies = new TrustedProxies(List.of(IdentityPattern.parse("cn:proxy")), List.of());
		String pem = URLEncoder.encode(pem(client), StandardCharsets.UTF_8).replace("+", "%20");
		if (this.format.equals("xfcc")) {
			this.resolver = new ForwardedCertificateResolver(ForwardedCertificateFormat.XFCC, List.of(), null, 1,
					proxies, (chain) -> validator.validateClient(List.of(chain)), MtlsListener.NONE);
			this.header = "x-forwarded-client-cert";
			this.value = "By=spiffe://acme.org/ns/edge/sa/envoy;Hash=" + CertificateFingerprint.sha256(client[0])
					+ ";Chain=\"" + pem + "\";Subject=\"CN=alice\";URI=spiffe://acme.org/ns/shop/sa/alice";
		}
		else {
			this.resolver = new ForwardedCertificateResolver(ForwardedCertificateFormat.HEADER,
					List.of("ssl-client-cert"), null, 1, proxies, (chain) -> validator.validateClient(List.of(chain)),
					MtlsListener.NONE);
			this.header = "ssl-client-cert";
			this.value = pem;
		}
		if (resolve().kind() != ForwardedRequest.Kind.FORWARDED) {
			throw new IllegalStateException("Not forwarded: " + resolve());
		}
	}

	@Benchmark
	public ForwardedRequest resolve() {
		// A new String per request, as a server parses it from the wire: its hash is not
		// cached.
		Map<String, List<String>> headers = Map.of(this.header, List.of(new String(this.value.toCharArray())));
		HeaderValues values = (name) -> headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
		return this.resolver.resolve(this.proxy, "127.0.0.1", values);
	}

	private static String pem(X509Certificate[] chain) throws CertificateEncodingException {
		StringBuilder pem = new StringBuilder();
		for (X509Certificate certificate : chain) {
			pem.append("-----BEGIN CERTIFICATE-----\n")
				.append(Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(certificate.getEncoded()))
				.append("\n-----END CERTIFICATE-----\n");
		}
		return pem.toString();
	}

}
