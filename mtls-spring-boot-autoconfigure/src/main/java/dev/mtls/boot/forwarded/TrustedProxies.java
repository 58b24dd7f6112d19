package dev.mtls.boot.forwarded;

import java.util.List;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.identity.IpRange;
import org.jspecify.annotations.Nullable;

/**
 * The peers whose forwarding headers count: by their own client certificate's identity,
 * by their address, or both (then both must hold).
 *
 * @since 0.1.0
 */
public final class TrustedProxies {

	private final List<IdentityPattern> identities;

	private final List<IpRange> addresses;

	/**
	 * Create the trusted proxies.
	 * @param identities patterns the proxy's certificate must match one of; none to trust
	 * by address alone
	 * @param addresses ranges the proxy's address must be in one of; none to trust by
	 * identity alone
	 * @throws IllegalArgumentException if both are empty
	 */
	public TrustedProxies(List<IdentityPattern> identities, List<IpRange> addresses) {
		if (identities.isEmpty() && addresses.isEmpty()) {
			throw new IllegalArgumentException("Trusted proxies need identities, addresses, or both");
		}
		this.identities = List.copyOf(identities);
		this.addresses = List.copyOf(addresses);
	}

	/**
	 * Whether a peer is a trusted proxy.
	 * @param identity the identity of the peer's validated client certificate, or
	 * {@code null} if it presented none (or one no longer valid)
	 * @param address the peer's address literal, or {@code null} if unknown
	 * @return whether it is trusted
	 */
	public boolean trusts(@Nullable CertificateIdentity identity, @Nullable String address) {
		return identityTrusted(identity) && addressTrusted(address);
	}

	/**
	 * Whether a proxy farther than the direct peer, known only by the certificate a
	 * nearer trusted proxy forwarded for it, is a trusted proxy: its identity must match
	 * the identity patterns (addresses say nothing about it).
	 * @param identity the identity of the farther proxy's validated certificate
	 * @return whether it is trusted; never without identity patterns
	 */
	public boolean trustsFarther(CertificateIdentity identity) {
		return checksIdentity() && identityTrusted(identity);
	}

	/**
	 * Whether the trust needs the peer's certificate.
	 * @return whether identity patterns are set
	 */
	public boolean checksIdentity() {
		return !this.identities.isEmpty();
	}

	private boolean identityTrusted(@Nullable CertificateIdentity identity) {
		if (this.identities.isEmpty()) {
			return true;
		}
		if (identity == null) {
			return false;
		}
		for (IdentityPattern pattern : this.identities) {
			if (pattern.matches(identity)) {
				return true;
			}
		}
		return false;
	}

	private boolean addressTrusted(@Nullable String address) {
		if (this.addresses.isEmpty()) {
			return true;
		}
		if (address == null) {
			return false;
		}
		for (IpRange range : this.addresses) {
			if (range.matches(address)) {
				return true;
			}
		}
		return false;
	}

}
