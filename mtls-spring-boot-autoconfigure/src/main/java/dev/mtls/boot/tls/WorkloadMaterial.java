package dev.mtls.boot.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * TLS material that a workload identity provider, such as the SPIFFE Workload API, hands
 * over in memory: the workload's key and certificate chain, and the CA certificates of
 * each trust domain whose peers it accepts. A peer is validated against its own trust
 * domain's CAs only.
 *
 * @param privateKey the workload's private key
 * @param chain the workload's certificate chain, leaf first
 * @param trustDomains the CA certificates (X.509 bundle) of each trust domain, by name
 * @since 0.1.0
 */
public record WorkloadMaterial(PrivateKey privateKey, List<X509Certificate> chain,
		Map<String, List<X509Certificate>> trustDomains) {

	public WorkloadMaterial {
		Assert.notEmpty(chain, "A certificate chain is required");
		chain = List.copyOf(chain);
		Map<String, List<X509Certificate>> copy = new LinkedHashMap<>();
		trustDomains.forEach((name, certificates) -> copy.put(name, List.copyOf(certificates)));
		trustDomains = Collections.unmodifiableMap(copy);
	}

	/**
	 * Return whether another generation holds the same chain and bundles (and so the same
	 * key), as an agent that reconnects sends again.
	 * @param other the other material
	 * @return whether they hold the same certificates
	 */
	public boolean sameCertificates(WorkloadMaterial other) {
		return this.chain.equals(other.chain) && this.trustDomains.equals(other.trustDomains);
	}

	@Override
	public String toString() {
		return "workload material for " + this.chain.get(0).getSubjectX500Principal().getName() + ", trust domains "
				+ this.trustDomains.keySet();
	}

}
