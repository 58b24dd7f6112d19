package dev.mtls.boot.spiffe;

import java.util.List;

import dev.mtls.boot.tls.WorkloadMaterial;

/**
 * One usable update from the Workload API: the chosen X.509 SVID and the bundles.
 *
 * @param spiffeId the SVID's SPIFFE ID
 * @param material the SVID's key and chain, and the bundles by trust domain
 * @param problems what was wrong with federated bundles that were left out or kept from
 * before
 */
record SvidUpdate(String spiffeId, WorkloadMaterial material, List<String> problems) {

}
