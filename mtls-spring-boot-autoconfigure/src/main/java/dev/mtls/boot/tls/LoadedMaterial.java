package dev.mtls.boot.tls;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.trust.CertificateValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * One generation of loaded TLS material: stores, key, chain, and the validator and key
 * manager built on them.
 *
 * @param stores the key and trust stores
 * @param key the key's alias and password in the key store
 * @param chain the service's certificate chain, leaf first
 * @param validator the validator built on the trust material
 * @param forwardedValidator the validator of client certificates forwarded by trusted
 * proxies: built on {@code mtls.forwarded.trust} where it is set, else {@code validator}
 * @param keyManager the key manager built on the key store
 */
record LoadedMaterial(SslStoreBundle stores, SslBundleKey key, List<X509Certificate> chain,
		CertificateValidator validator, CertificateValidator forwardedValidator, X509ExtendedKeyManager keyManager) {

	String subject() {
		return this.chain.isEmpty() ? "?" : CertificateText.name(this.chain.get(0));
	}

	String serial() {
		return this.chain.isEmpty() ? "?" : this.chain.get(0).getSerialNumber().toString(16);
	}

	@Nullable Instant notAfter() {
		return this.chain.isEmpty() ? null : this.chain.get(0).getNotAfter().toInstant();
	}

}
