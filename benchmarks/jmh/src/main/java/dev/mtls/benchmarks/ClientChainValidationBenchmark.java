package dev.mtls.benchmarks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.CertificateValidator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the starter's {@link CertificateValidator} costs a server per client chain, leaf
 * and issuing CA against a trusted root ({@code pki=chain}) or a leaf of the root itself
 * ({@code one-level}), with the default policy and optionally a CRL per CA:
 * {@code cached} as on every handshake of a known client (a verdict kept), and
 * {@code uncached} as on the first handshake of each client (path building, structure,
 * policy and revocation checks): a clock moving five minutes per validation outlives
 * every kept verdict. The chain's certificate objects are the same on every call, as the
 * JDK's TLS engine hands them over (its certificate factory keeps parsed certificates),
 * so the JDK's own cache of signature verifications applies; Conscrypt's engine makes new
 * objects per handshake, whose signatures a validation verifies again.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ClientChainValidationBenchmark {

	// Longer than a verdict is kept (five minutes); the certificates are valid for a
	// hundred years, enough for some ten million validations.
	private static final Duration STEP = Duration.ofMinutes(5).plusSeconds(1);

	private static final Duration LONG = Duration.ofDays(36_500);

	@Param({ "chain", "one-level" })
	public String pki;

	@Param({ "false", "true" })
	public boolean crl;

	private CertificateValidator validator;

	private List<X509Certificate> chain;

	private final MovingClock clock = new MovingClock();

	@Setup
	public void setUp() throws Exception {
		Instant now = Instant.now();
		CertificateAuthority root = CertificateAuthority.selfSigned("Bench Root CA")
			.ca()
			.validity(now.minus(Duration.ofHours(1)), now.plus(LONG))
			.issue()
			.asCertificateAuthority();
		boolean intermediate = "chain".equals(this.pki);
		CertificateAuthority issuer = intermediate ? root.certificate("Bench Issuing CA")
			.ca()
			.validity(now.minus(Duration.ofHours(1)), now.plus(LONG))
			.issue()
			.asCertificateAuthority() : root;
		IssuedCertificate client = issuer.certificate("bench-client")
			.clientAuth()
			.validity(now.minus(Duration.ofHours(1)), now.plus(LONG))
			.issue();
		this.chain = client.getChain();
		List<X509CRL> crls = !this.crl ? List.of()
				: intermediate ? List.of(crl(root), crl(issuer)) : List.of(crl(root));
		this.validator = CertificateValidator.of(List.of(root.getCertificate()), crls, CertificatePolicy.DEFAULT,
				this.clock);
		this.validator.validateClient(this.chain);
	}

	private static X509CRL crl(CertificateAuthority authority) throws Exception {
		byte[] pem = authority.crl(LONG).getBytes(StandardCharsets.US_ASCII);
		return CertificateValidator.readCrls(new ByteArrayInputStream(pem)).get(0);
	}

	@Benchmark
	public List<X509Certificate> cached() throws Exception {
		return this.validator.validateClient(this.chain);
	}

	@Benchmark
	public List<X509Certificate> uncached() throws Exception {
		this.clock.advance();
		return this.validator.validateClient(this.chain);
	}

	/**
	 * A clock that stands still until moved, from a minute after start-up; never moved
	 * back, since a verdict kept at a later time would then hold again.
	 */
	static final class MovingClock extends Clock {

		private Instant now = Instant.now().plus(Duration.ofMinutes(1));

		void advance() {
			this.now = this.now.plus(STEP);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
