package dev.mtls.benchmarks;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.security.AuthorizationRuleSet;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.security.CertificateAuthenticator;
import dev.mtls.boot.security.DefaultAccess;
import dev.mtls.boot.security.IdentityAuthoritiesMapper;
import dev.mtls.boot.security.IdentityAuthorizationDecision;
import dev.mtls.boot.security.servlet.AuthorizationRules;
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

import org.springframework.http.HttpMethod;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Per-request work of the starter's security on a certificate already seen: authenticate
 * the chain (a cache hit), parse the request path, and evaluate the rules, where only the
 * last rule matches (the worst case).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdentityRulesBenchmark {

	@Param({ "1", "50", "1000" })
	int rules;

	X509Certificate[] chain;

	CertificateAuthenticator authenticator;

	AuthorizationRules authorizationRules;

	String uri;

	@Setup(Level.Trial)
	public void setUp() {
		CertificateAuthority ca = CertificateAuthority.create("Benchmark CA");
		this.chain = new X509Certificate[] { ca.certificate("checkout")
			.organization("Acme")
			.uris("spiffe://acme.org/ns/shop/sa/checkout")
			.dnsNames("checkout.shop.svc")
			.clientAuth()
			.issue()
			.getCertificate() };
		this.authenticator = new CertificateAuthenticator(PrincipalName.SPIFFE_ID, new IdentityAuthoritiesMapper(
				List.of(IdentityAuthoritiesMapper.Grant.of("spiffe://acme.org/ns/shop/**", "ROLE_SHOP"))));
		List<AuthorizationRuleSet.Rule> list = new ArrayList<>();
		String[] patterns = { "CN=ops-console,OU=platform,O=Acme", "cn:orders-*", "spiffe://acme.org/ns/*/sa/checkout",
				"dns:*.shop.svc", "authority:ROLE_ADMIN" };
		for (int i = 0; i < this.rules; i++) {
			PathPattern path = PathPatternParser.defaultInstance.parse("/service-" + i + "/**");
			IdentityPattern allow = IdentityPattern.parse(patterns[i % patterns.length]);
			list.add(new AuthorizationRuleSet.Rule("rules[" + i + "]", List.of(path),
					(i % 2 == 0) ? Set.of() : Set.of(HttpMethod.GET, HttpMethod.POST), List.of(allow), false));
		}
		this.authorizationRules = new AuthorizationRules(new AuthorizationRuleSet(list, DefaultAccess.DENY));
		this.uri = "/service-" + (this.rules - 1) + "/orders/42";
		this.authenticator.authenticate(this.chain, null);
	}

	@Benchmark
	public IdentityAuthorizationDecision authenticateAndAuthorize() {
		CertificateAuthentication authentication = this.authenticator.authenticate(this.chain, null);
		RequestPath path = RequestPath.parse(this.uri, "");
		return this.authorizationRules.decide("GET", path.pathWithinApplication(), authentication);
	}

}
