package dev.mtls.boot.tls;

import java.util.List;

/**
 * The TLS protocols and cipher suites the starter enables unless told otherwise.
 *
 * @since 0.1.0
 */
public final class TlsDefaults {

	/**
	 * TLS 1.3 and TLS 1.2, nothing older.
	 */
	public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	/**
	 * The TLS 1.3 suites, all AEAD; enabled whenever TLS 1.3 is.
	 */
	public static final List<String> TLS13_CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
			"TLS_CHACHA20_POLY1305_SHA256");

	/**
	 * Mozilla's "intermediate" TLS 1.2 suites with ECDHE key exchange: AES-GCM and
	 * ChaCha20-Poly1305 only.
	 */
	public static final List<String> TLS12_CIPHER_SUITES = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
			"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
			"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

	private TlsDefaults() {
	}

}
