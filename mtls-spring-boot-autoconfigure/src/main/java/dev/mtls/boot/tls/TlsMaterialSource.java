package dev.mtls.boot.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.mtls.boot.trust.CertificatePolicy;
import dev.mtls.boot.trust.ExpectedServerIdentities;
import dev.mtls.boot.trust.OnlineRevocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Where the service's TLS material comes from: an identity and trust given as locations
 * or inline PEM, a named Spring SSL bundle, or a workload identity provider such as the
 * SPIFFE Workload API, with the CRLs, policy and revocation options that validate peers.
 *
 * @param identity the identity, or {@code null} when {@code bundle} or {@code workload}
 * is set
 * @param trust the trust, or {@code null} when {@code bundle} or {@code workload} is set
 * @param bundle the name of the Spring SSL bundle that provides identity and trust, or
 * {@code null}
 * @param crls the CRL locations
 * @param policy the policy peer certificates must meet
 * @param revocation online revocation checking, whose verdict cache time also caps TLS
 * session lifetime
 * @param forwardedTrust the trust of client certificates forwarded by trusted proxies, or
 * {@code null} to validate them with {@code trust}; none with {@code workload}, whose
 * peers are validated by trust domain
 * @param workload the current material of a workload identity provider, asked on every
 * load and reload, or {@code null}
 * @param expectedServers the identities expected of servers by host, instead of their
 * host names (SPIFFE peers name no host)
 * @since 0.1.0
 */
public record TlsMaterialSource(@Nullable IdentitySource identity, @Nullable TrustSource trust, @Nullable String bundle,
		List<String> crls, CertificatePolicy policy, OnlineRevocation revocation, @Nullable TrustSource forwardedTrust,
		@Nullable Supplier<WorkloadMaterial> workload, ExpectedServerIdentities expectedServers) {

	public TlsMaterialSource {
		int sources = ((bundle != null) ? 1 : 0) + ((workload != null) ? 1 : 0)
				+ ((identity != null || trust != null) ? 1 : 0);
		Assert.isTrue(sources == 1 && (identity == null) == (trust == null),
				"Either a bundle, a workload identity provider, or an identity and a trust are required");
		// A workload's peers are validated by trust domain: other CAs could vouch for any
		// SPIFFE ID.
		Assert.isTrue(workload == null || forwardedTrust == null,
				"A workload identity provider validates forwarded certificates by trust domain: no forwarded trust");
		crls = List.copyOf(crls);
	}

	/**
	 * Material from an identity and a trust.
	 * @param identity the identity
	 * @param trust the trust
	 * @param crls the CRL locations
	 * @param policy the peer certificate policy
	 * @param revocation online revocation checking
	 * @return the source
	 */
	public static TlsMaterialSource of(IdentitySource identity, TrustSource trust, List<String> crls,
			CertificatePolicy policy, OnlineRevocation revocation) {
		return new TlsMaterialSource(identity, trust, null, crls, policy, revocation, null, null,
				ExpectedServerIdentities.NONE);
	}

	/**
	 * Material from a named Spring SSL bundle.
	 * @param bundle the bundle's name
	 * @param crls the CRL locations
	 * @param policy the peer certificate policy
	 * @param revocation online revocation checking
	 * @return the source
	 */
	public static TlsMaterialSource ofBundle(String bundle, List<String> crls, CertificatePolicy policy,
			OnlineRevocation revocation) {
		return new TlsMaterialSource(null, null, bundle, crls, policy, revocation, null, null,
				ExpectedServerIdentities.NONE);
	}

	/**
	 * Material from a workload identity provider, such as the SPIFFE Workload API.
	 * @param workload the provider's current material, asked on every load and reload
	 * @param expectedServers the identities expected of servers by host, instead of their
	 * host names
	 * @param crls the CRL locations
	 * @param policy the peer certificate policy
	 * @param revocation online revocation checking
	 * @return the source
	 */
	public static TlsMaterialSource ofWorkload(Supplier<WorkloadMaterial> workload,
			ExpectedServerIdentities expectedServers, List<String> crls, CertificatePolicy policy,
			OnlineRevocation revocation) {
		return new TlsMaterialSource(null, null, null, crls, policy, revocation, null, workload, expectedServers);
	}

	/**
	 * Return this source with a trust of its own for client certificates forwarded by
	 * trusted proxies ({@code mtls.forwarded.trust}).
	 * @param forwardedTrust the forwarded clients' trust
	 * @return the source
	 */
	public TlsMaterialSource withForwardedTrust(TrustSource forwardedTrust) {
		return new TlsMaterialSource(this.identity, this.trust, this.bundle, this.crls, this.policy, this.revocation,
				forwardedTrust, this.workload, this.expectedServers);
	}

	/**
	 * Return every location the material is read from (identity, trust, forwarded trust,
	 * CRLs), inline PEM included.
	 * @return the locations
	 */
	public List<String> locations() {
		List<String> locations = new ArrayList<>();
		IdentitySource identity = this.identity;
		if (identity != null) {
			addIfSet(locations, identity.certificate());
			addIfSet(locations, identity.privateKey());
			addIfSet(locations, identity.keyStoreLocation());
		}
		TrustSource trust = this.trust;
		if (trust != null) {
			locations.addAll(trust.certificates());
			addIfSet(locations, trust.trustStoreLocation());
		}
		TrustSource forwardedTrust = this.forwardedTrust;
		if (forwardedTrust != null) {
			locations.addAll(forwardedTrust.certificates());
			addIfSet(locations, forwardedTrust.trustStoreLocation());
		}
		locations.addAll(this.crls);
		return locations;
	}

	private static void addIfSet(List<String> locations, @Nullable String location) {
		if (location != null) {
			locations.add(location);
		}
	}

	/**
	 * The service's own certificate and key: PEM (locations or inline text) or a PKCS12
	 * or JKS key store.
	 *
	 * @param certificate the PEM certificate chain, leaf first
	 * @param privateKey the PEM private key
	 * @param privateKeyPassword the password of an encrypted private key
	 * @param keyStoreLocation the key store's location, instead of PEM
	 * @param keyStorePassword the key store's password
	 * @param keyStoreType the key store's type, or {@code null} to infer it from the
	 * location
	 * @param keyStoreAlias the key entry's alias, or {@code null} for the only one
	 */
	public record IdentitySource(@Nullable String certificate, @Nullable String privateKey,
			@Nullable String privateKeyPassword, @Nullable String keyStoreLocation, @Nullable String keyStorePassword,
			@Nullable String keyStoreType, @Nullable String keyStoreAlias) {

		public IdentitySource {
			Assert.isTrue(keyStoreLocation == null || (certificate == null && privateKey == null),
					"Either a PEM identity or a key store is required, not both");
		}

		/**
		 * A PEM identity.
		 * @param certificate the certificate chain, leaf first
		 * @param privateKey the private key
		 * @param privateKeyPassword the password of an encrypted key, or {@code null}
		 * @return the identity
		 */
		public static IdentitySource pem(@Nullable String certificate, @Nullable String privateKey,
				@Nullable String privateKeyPassword) {
			return new IdentitySource(certificate, privateKey, privateKeyPassword, null, null, null, null);
		}

		/**
		 * A key store identity.
		 * @param location the key store's location
		 * @param password its password, or {@code null}
		 * @param type its type, or {@code null} to infer it from the location
		 * @param alias the key entry's alias, or {@code null} for the only one
		 * @return the identity
		 */
		public static IdentitySource keyStore(String location, @Nullable String password, @Nullable String type,
				@Nullable String alias) {
			return new IdentitySource(null, null, null, location, password, type, alias);
		}

		boolean isKeyStore() {
			return this.keyStoreLocation != null;
		}

		@Override
		public String toString() {
			return isKeyStore() ? "key store " + this.keyStoreLocation : "PEM certificate " + this.certificate;
		}

	}

	/**
	 * The CAs whose peers the service trusts: PEM certificates (files, directories or
	 * inline text) or a PKCS12 or JKS trust store.
	 *
	 * @param certificates PEM certificate locations or texts
	 * @param trustStoreLocation the trust store's location, instead of PEM
	 * @param trustStorePassword the trust store's password
	 * @param trustStoreType the trust store's type, or {@code null} to infer it from the
	 * location
	 */
	public record TrustSource(List<String> certificates, @Nullable String trustStoreLocation,
			@Nullable String trustStorePassword, @Nullable String trustStoreType) {

		public TrustSource {
			certificates = List.copyOf(certificates);
			Assert.isTrue(trustStoreLocation == null || certificates.isEmpty(),
					"Either PEM certificates or a trust store is required, not both");
		}

		/**
		 * PEM trust.
		 * @param certificates the PEM locations or texts
		 * @return the trust
		 */
		public static TrustSource pem(List<String> certificates) {
			return new TrustSource(certificates, null, null, null);
		}

		/**
		 * A trust store.
		 * @param location its location
		 * @param password its password, or {@code null}
		 * @param type its type, or {@code null} to infer it from the location
		 * @return the trust
		 */
		public static TrustSource trustStore(String location, @Nullable String password, @Nullable String type) {
			return new TrustSource(List.of(), location, password, type);
		}

		@Override
		public String toString() {
			return (this.trustStoreLocation != null) ? "trust store " + this.trustStoreLocation
					: this.certificates.size() + " PEM trust locations";
		}

	}

}
