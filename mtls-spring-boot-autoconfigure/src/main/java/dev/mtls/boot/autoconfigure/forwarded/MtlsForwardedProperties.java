package dev.mtls.boot.autoconfigure.forwarded;

import java.util.ArrayList;
import java.util.List;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.forwarded.ForwardedCertificateEncoding;
import dev.mtls.boot.forwarded.ForwardedCertificateFormat;
import org.jspecify.annotations.Nullable;

/**
 * Client certificates forwarded in a header by a TLS-terminating proxy.
 *
 * @since 0.1.0
 */
public class MtlsForwardedProperties {

	/**
	 * Whether to take the client certificate from a header set by a trusted proxy.
	 */
	private boolean enabled;

	/**
	 * The proxy's header format: xfcc (Envoy, Istio), rfc9440 (Client-Cert and
	 * Client-Cert-Chain), nginx (ssl-client-cert), alb (X-Amzn-Mtls-Clientcert-Leaf or
	 * X-Amzn-Mtls-Clientcert), traefik (X-Forwarded-Tls-Client-Cert), or header (the
	 * header and encoding set here).
	 */
	private @Nullable ForwardedCertificateFormat format;

	/**
	 * Name of the header holding the client certificate, replacing the format's.
	 */
	private @Nullable String header;

	/**
	 * Encoding of the header, for the 'header' format: url-pem, base64-der or pem.
	 */
	private @Nullable ForwardedCertificateEncoding encoding;

	/**
	 * Which XFCC element to read, counted from the nearest proxy's (1). A farther one is
	 * read only when every nearer element carries the certificate of a proxy matching
	 * trusted-proxies.identities, as Istio's numTrustedProxies.
	 */
	private int hop = 1;

	/**
	 * Whether a trusted proxy's request without a forwarded certificate is authenticated
	 * by the proxy's own client certificate (for proxies that also call the service
	 * themselves), instead of having no client certificate.
	 */
	private boolean authenticateProxy;

	/**
	 * Whether an XFCC element that describes the client's certificate without carrying it
	 * (Hash, Subject, URI, DNS; Istio's default) authenticates the request by what the
	 * trusted proxy says, trusting its verification: nothing of it (trust, policy,
	 * revocation, validity) is checked here. Only for mtls.forwarded.format=xfcc.
	 */
	private boolean trustProxyVerification;

	private final TrustedProxies trustedProxies = new TrustedProxies();

	private final Trust trust = new Trust();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable ForwardedCertificateFormat getFormat() {
		return this.format;
	}

	public void setFormat(@Nullable ForwardedCertificateFormat format) {
		this.format = format;
	}

	public @Nullable String getHeader() {
		return this.header;
	}

	public void setHeader(@Nullable String header) {
		this.header = header;
	}

	public @Nullable ForwardedCertificateEncoding getEncoding() {
		return this.encoding;
	}

	public void setEncoding(@Nullable ForwardedCertificateEncoding encoding) {
		this.encoding = encoding;
	}

	public int getHop() {
		return this.hop;
	}

	public void setHop(int hop) {
		this.hop = hop;
	}

	public boolean isAuthenticateProxy() {
		return this.authenticateProxy;
	}

	public void setAuthenticateProxy(boolean authenticateProxy) {
		this.authenticateProxy = authenticateProxy;
	}

	public boolean isTrustProxyVerification() {
		return this.trustProxyVerification;
	}

	public void setTrustProxyVerification(boolean trustProxyVerification) {
		this.trustProxyVerification = trustProxyVerification;
	}

	public TrustedProxies getTrustedProxies() {
		return this.trustedProxies;
	}

	public Trust getTrust() {
		return this.trust;
	}

	/**
	 * The peers whose forwarding headers count.
	 */
	public static class TrustedProxies {

		/**
		 * Identity patterns the proxy's own client certificate must match one of.
		 */
		private List<String> identities = new ArrayList<>();

		/**
		 * Addresses or CIDR ranges the proxy's remote address must be in one of. Where
		 * identities are set too, both must hold.
		 */
		private List<String> addresses = new ArrayList<>();

		public List<String> getIdentities() {
			return this.identities;
		}

		public void setIdentities(List<String> identities) {
			this.identities = identities;
		}

		public List<String> getAddresses() {
			return this.addresses;
		}

		public void setAddresses(List<String> addresses) {
			this.addresses = addresses;
		}

	}

	/**
	 * CAs the forwarded client certificates chain to, when they are not those of
	 * mtls.trust. Forwarded certificates are then validated against these CAs only; the
	 * proxies' own certificates still against mtls.trust.
	 */
	public static class Trust {

		/**
		 * PEM files or directories of the CA certificates of forwarded clients (every
		 * '*.pem' and '*.crt' inside a directory), or inline PEM text. Reloaded with the
		 * rest of the material when it changes.
		 */
		private List<String> certificates = new ArrayList<>();

		private final MtlsProperties.Truststore truststore = new MtlsProperties.Truststore();

		public List<String> getCertificates() {
			return this.certificates;
		}

		public void setCertificates(List<String> certificates) {
			this.certificates = certificates;
		}

		public MtlsProperties.Truststore getTruststore() {
			return this.truststore;
		}

		public boolean isConfigured() {
			return !this.certificates.isEmpty() || this.truststore.getLocation() != null;
		}

	}

}
