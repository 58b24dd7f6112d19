package dev.mtls.boot.spiffe;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import dev.mtls.boot.tls.WorkloadMaterial;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.X509BundleException;
import io.spiffe.exception.X509SvidException;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.grpc.Workload.X509SVID;
import io.spiffe.workloadapi.grpc.Workload.X509SVIDResponse;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Workload API response into the SVID to use and the bundles of every trust
 * domain: the SVID's own domain's bundle and the federated ones, each kept apart.
 * java-spiffe parses and checks the SVID (one SPIFFE ID, a leaf that is no CA, signing
 * certificates that are) and the bundles.
 */
final class SvidUpdateReader {

	private final @Nullable String svidHint;

	SvidUpdateReader(@Nullable String svidHint) {
		this.svidHint = svidHint;
	}

	SvidUpdate read(X509SVIDResponse response) throws UnusableUpdateException {
		return read(response, Map.of());
	}

	/**
	 * Read a response. A federated bundle that cannot be read does not hold up the
	 * workload's own SVID: the one read before for that trust domain stays, or, without
	 * one, the domain is left out; either way it is reported.
	 * @param response the response
	 * @param previous the bundles in use, by trust domain
	 * @return the update
	 * @throws UnusableUpdateException if the SVID or its own bundle cannot be used
	 */
	SvidUpdate read(X509SVIDResponse response, Map<String, List<X509Certificate>> previous)
			throws UnusableUpdateException {
		X509SVID chosen = choose(response.getSvidsList());
		X509Svid svid;
		try {
			svid = X509Svid.parseRaw(chosen.getX509Svid().toByteArray(), chosen.getX509SvidKey().toByteArray(),
					chosen.getHint());
		}
		catch (X509SvidException | RuntimeException ex) {
			throw new UnusableUpdateException(
					"the X.509 SVID '%s' is invalid: %s".formatted(chosen.getSpiffeId(), ex.getMessage()), ex);
		}
		TrustDomain ownDomain = svid.getSpiffeId().getTrustDomain();
		Map<String, List<X509Certificate>> trustDomains = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		trustDomains.put(ownDomain.getName(), bundle(ownDomain, chosen.getBundle().toByteArray()));
		for (Map.Entry<String, ByteString> federated : response.getFederatedBundlesMap().entrySet()) {
			TrustDomain trustDomain;
			try {
				trustDomain = TrustDomain.parse(federated.getKey());
			}
			catch (RuntimeException ex) {
				throw new UnusableUpdateException(
						"a federated bundle is for '%s', not a trust domain".formatted(federated.getKey()), ex);
			}
			// The agent's own bundle for its own trust domain wins over a federated one.
			if (trustDomains.containsKey(trustDomain.getName())) {
				continue;
			}
			try {
				trustDomains.put(trustDomain.getName(), bundle(trustDomain, federated.getValue().toByteArray()));
			}
			catch (UnusableUpdateException ex) {
				List<X509Certificate> kept = previous.get(trustDomain.getName());
				if (kept != null) {
					trustDomains.put(trustDomain.getName(), kept);
				}
				problems.add(ex.getMessage() + ((kept != null) ? "; the bundle read before stays in use"
						: "; its peers are refused until a valid one comes"));
			}
		}
		WorkloadMaterial material = new WorkloadMaterial(svid.getPrivateKey(), svid.getChain(), trustDomains);
		return new SvidUpdate(svid.getSpiffeId().toString(), material, List.copyOf(problems));
	}

	private X509SVID choose(List<X509SVID> svids) throws UnusableUpdateException {
		if (svids.isEmpty()) {
			throw new UnusableUpdateException("the response holds no X.509 SVID");
		}
		String hint = this.svidHint;
		if (hint == null) {
			return svids.get(0);
		}
		List<String> hints = new ArrayList<>();
		for (X509SVID svid : svids) {
			if (hint.equals(svid.getHint())) {
				return svid;
			}
			hints.add("'" + svid.getHint() + "'");
		}
		throw new UnusableUpdateException(
				"none of its %d X.509 SVIDs has the hint '%s' (mtls.spiffe.svid-hint); their hints: %s"
					.formatted(svids.size(), hint, String.join(", ", hints)));
	}

	private static List<X509Certificate> bundle(TrustDomain trustDomain, byte[] der) throws UnusableUpdateException {
		try {
			List<X509Certificate> authorities = new ArrayList<>(
					X509Bundle.parse(trustDomain, der).getX509Authorities());
			if (authorities.isEmpty()) {
				throw new UnusableUpdateException("the bundle of '%s' is empty".formatted(trustDomain.getName()));
			}
			return authorities;
		}
		catch (X509BundleException | RuntimeException ex) {
			throw new UnusableUpdateException(
					"the bundle of '%s' is invalid: %s".formatted(trustDomain.getName(), ex.getMessage()), ex);
		}
	}

}
