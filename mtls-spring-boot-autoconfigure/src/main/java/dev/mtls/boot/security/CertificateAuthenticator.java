package dev.mtls.boot.security;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import dev.mtls.boot.identity.AttestedCertificate;
import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.identity.MissingIdentityAttributeException;
import dev.mtls.boot.identity.PrincipalName;
import dev.mtls.boot.monitor.AuthenticationFailure;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.monitor.OnceLog;
import dev.mtls.boot.trust.CertificateRejectedException;
import dev.mtls.boot.trust.CertificateRejectedException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.util.ConcurrentLruCache;

/**
 * Turns a client certificate chain that the TLS handshake already verified into an
 * authentication: the leaf becomes a {@link CertificateIdentity} named by
 * {@code mtls.principal.name}, with the authorities of a
 * {@link CertificateAuthoritiesMapper}. Results are cached per certificate (bounded), so
 * a certificate is parsed, mapped, and a rejection logged, once. With SPIFFE, the
 * identity of a peer of a federated trust domain is
 * {@linkplain CertificateIdentity#isFederated() federated}, by the
 * {@linkplain #setLocalTrustDomain(Supplier) local trust domain}.
 *
 * @since 0.1.0
 */
public class CertificateAuthenticator {

	private static final Log logger = LogFactory.getLog(CertificateAuthenticator.class);

	private static final int MAX_CACHED_CERTIFICATES = 10_000;

	/**
	 * The longest attestation (subject and names) whose authentication is cached.
	 */
	private static final int MAX_CACHED_ATTESTATION_CHARACTERS = 12 * 1024;

	private final PrincipalName principalName;

	private final CertificateAuthoritiesMapper authoritiesMapper;

	/**
	 * A {@link CertificateAuthentication}, or the reason the certificate names no
	 * principal.
	 */
	private final ConcurrentLruCache<Chain, Object> resolved;

	/**
	 * A {@link CertificateAuthentication} of an attested certificate, or the reason it
	 * names no principal.
	 */
	private final ConcurrentLruCache<Attested, Object> attested;

	private Supplier<@Nullable String> localTrustDomain = () -> null;

	private final MtlsListener listener;

	private final ClientChainVerifier verifier;

	private ClientChainVerifier forwardedVerifier;

	private final OnceLog refusals = new OnceLog(logger, MAX_CACHED_CERTIFICATES);

	public CertificateAuthenticator(PrincipalName principalName, CertificateAuthoritiesMapper authoritiesMapper) {
		this(principalName, authoritiesMapper, MtlsListener.NONE, (chain) -> {
		});
	}

	/**
	 * Create an authenticator that tells a listener about every request it authenticates
	 * or not.
	 * @param principalName the attribute naming principals
	 * @param authoritiesMapper grants authorities
	 * @param listener told of each authentication
	 * @param verifier checks the chain again for each request (cheap for a chain already
	 * validated)
	 */
	public CertificateAuthenticator(PrincipalName principalName, CertificateAuthoritiesMapper authoritiesMapper,
			MtlsListener listener, ClientChainVerifier verifier) {
		this.listener = listener;
		this.verifier = verifier;
		this.forwardedVerifier = verifier;
		this.principalName = principalName;
		this.authoritiesMapper = authoritiesMapper;
		this.resolved = new ConcurrentLruCache<>(MAX_CACHED_CERTIFICATES,
				(key) -> resolve(key.certificates(), key.localTrustDomain()));
		this.attested = new ConcurrentLruCache<>(MAX_CACHED_CERTIFICATES,
				(key) -> resolve(key.certificate(), key.localTrustDomain()));
	}

	/**
	 * Create an authenticator naming principals by common name and granting no
	 * authorities.
	 */
	public CertificateAuthenticator() {
		this(PrincipalName.CN, (identity) -> List.of());
	}

	/**
	 * Authenticate a verified chain.
	 * @param chain the client's certificate chain, leaf first, as the TLS handshake
	 * verified it
	 * @param details request details for the authentication, or {@code null}
	 * @return the authentication
	 * @throws BadCredentialsException if the certificate cannot name a principal
	 */
	public CertificateAuthentication authenticate(X509Certificate[] chain, @Nullable Object details) {
		return authenticate(chain, details, this.verifier);
	}

	/**
	 * Authenticate a chain that a trusted proxy forwarded, checked again with the
	 * {@linkplain #setForwardedVerifier(ClientChainVerifier) forwarded verifier}.
	 * @param chain the forwarded chain, leaf first, as the proxy's resolver verified it
	 * @param details request details for the authentication, or {@code null}
	 * @return the authentication
	 * @throws BadCredentialsException if the certificate cannot name a principal
	 */
	public CertificateAuthentication authenticateForwarded(X509Certificate[] chain, @Nullable Object details) {
		return authenticate(chain, details, this.forwardedVerifier);
	}

	/**
	 * Set how a chain forwarded by a trusted proxy is checked again for each request: by
	 * its own trust ({@code mtls.forwarded.trust}) where that differs from the
	 * handshake's. By default as a chain presented in the handshake.
	 * @param forwardedVerifier checks a forwarded chain
	 */
	public void setForwardedVerifier(ClientChainVerifier forwardedVerifier) {
		this.forwardedVerifier = forwardedVerifier;
	}

	/**
	 * Set where the workload's own SPIFFE trust domain comes from, asked for each
	 * authentication, when peers are validated by trust domain
	 * ({@code mtls.spiffe.enabled}): the identity of a peer of any other trust domain is
	 * {@linkplain CertificateIdentity#isFederated() federated}, named by its SPIFFE ID
	 * whatever the principal name. Identities are cached per certificate and trust
	 * domain, so a change of the trust domain is seen at once. By default none: no
	 * identity is federated.
	 * @param localTrustDomain supplies the local trust domain, or {@code null} without
	 * SPIFFE
	 * @since 0.1.0
	 */
	public void setLocalTrustDomain(Supplier<@Nullable String> localTrustDomain) {
		this.localTrustDomain = localTrustDomain;
	}

	private CertificateAuthentication authenticate(X509Certificate[] chain, @Nullable Object details,
			ClientChainVerifier verifier) {
		if (chain.length == 0) {
			this.listener.authenticationFailed(Reason.UNTRUSTED);
			throw new BadCredentialsException("No client certificate");
		}
		try {
			verifier.verify(chain);
		}
		catch (CertificateException ex) {
			Reason reason = (ex instanceof CertificateRejectedException rejected) ? rejected.getReason()
					: Reason.UNTRUSTED;
			this.listener.authenticationFailed(reason);
			String message = "Client certificate no longer acceptable: "
					+ CertificateText.escapeMessage(ex.getMessage());
			// A certificate the handshake accepted and a request refuses: revoked or
			// expired during a session, or presented without a handshake (a mock
			// request).
			this.refusals.warn(chain[0], reason, () -> message);
			throw new BadCredentialsException(message, ex);
		}
		return authenticated(this.resolved.get(new Chain(chain, this.localTrustDomain.get())), details);
	}

	/**
	 * Authenticate what a trusted proxy attested of a certificate it verified and did not
	 * forward ({@code mtls.forwarded.trust-proxy-verification}): there is nothing to
	 * check again, the proxy's verification is trusted.
	 * @param attested what the proxy attested
	 * @param details request details for the authentication, or {@code null}
	 * @return the authentication, with an identity
	 * {@linkplain CertificateIdentity#isAttestedByProxy() attested by a proxy}
	 * @throws BadCredentialsException if what the proxy said cannot name a principal
	 */
	public CertificateAuthentication authenticate(AttestedCertificate attested, @Nullable Object details) {
		String localTrustDomain = this.localTrustDomain.get();
		// The cache stays small whatever a proxy attests, as the forwarded header cache.
		Object result = (length(attested) <= MAX_CACHED_ATTESTATION_CHARACTERS)
				? this.attested.get(new Attested(attested, localTrustDomain)) : resolve(attested, localTrustDomain);
		return authenticated(result, details);
	}

	private static int length(AttestedCertificate attested) {
		int length = attested.subject().length();
		for (String name : attested.dnsNames()) {
			length += name.length();
		}
		for (String uri : attested.uris()) {
			length += uri.length();
		}
		return length;
	}

	// A cached authentication or failure, told to the listener each time.
	private CertificateAuthentication authenticated(Object result, @Nullable Object details) {
		if (result instanceof Failure failure) {
			this.listener.authenticationFailed(failure.category());
			throw new BadCredentialsException(failure.reason());
		}
		CertificateAuthentication authentication = (CertificateAuthentication) result;
		this.listener.authenticated(authentication.getPrincipal());
		return (details != null) ? authentication.withDetails(details) : authentication;
	}

	private Object resolve(AttestedCertificate attested, @Nullable String localTrustDomain) {
		try {
			CertificateIdentity identity = CertificateIdentity.attested(attested, this.principalName, localTrustDomain);
			return new CertificateAuthentication(identity, this.authoritiesMapper.getAuthorities(identity));
		}
		catch (MissingIdentityAttributeException ex) {
			String message = "Attested client certificate not authenticated: %s: %s (mtls.principal.name=%s)"
				.formatted(attested, ex.getMessage(), principalNameProperty());
			this.refusals.warn(attested.sha256Fingerprint() + " " + AuthenticationFailure.MISSING_ATTRIBUTE,
					() -> message);
			return new Failure(AuthenticationFailure.MISSING_ATTRIBUTE, ex.getMessage());
		}
	}

	private String principalNameProperty() {
		return this.principalName.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private Object resolve(X509Certificate[] chain, @Nullable String localTrustDomain) {
		X509Certificate certificate = chain[0];
		String reason;
		AuthenticationFailure category = AuthenticationFailure.MISSING_ATTRIBUTE;
		if (certificate.getBasicConstraints() >= 0) {
			category = AuthenticationFailure.CA_CERTIFICATE;
			// The JDK's PKIX checks accept a CA certificate as a TLS client; a service
			// must not.
			reason = "Client certificate '%s' is a CA certificate, which cannot be a client"
				.formatted(CertificateText.escape(certificate.getSubjectX500Principal().getName()));
		}
		else {
			try {
				CertificateIdentity identity = CertificateIdentity.of(List.of(chain), this.principalName,
						localTrustDomain);
				return new CertificateAuthentication(identity, this.authoritiesMapper.getAuthorities(identity));
			}
			catch (MissingIdentityAttributeException ex) {
				reason = ex.getMessage();
			}
		}
		String message = "Client certificate not authenticated: subject '%s', issuer '%s', serial %s: %s (mtls.principal.name=%s)"
			.formatted(CertificateText.escape(certificate.getSubjectX500Principal().getName()),
					CertificateText.escape(certificate.getIssuerX500Principal().getName()),
					certificate.getSerialNumber().toString(16), reason, principalNameProperty());
		this.refusals.warn(certificate, category, () -> message);
		return new Failure(category, reason);
	}

	/**
	 * Why a certificate names no principal: a category for metrics and the words.
	 */
	private record Failure(AuthenticationFailure category, String reason) {
	}

	/**
	 * A cache key: a chain, equal to another with the same leaf certificate, and the
	 * local trust domain its identity was built for.
	 */
	private record Chain(X509Certificate[] certificates, @Nullable String localTrustDomain) {

		@Override
		public boolean equals(@Nullable Object obj) {
			return (obj instanceof Chain other) && this.certificates[0].equals(other.certificates[0])
					&& Objects.equals(this.localTrustDomain, other.localTrustDomain);
		}

		@Override
		public int hashCode() {
			return this.certificates[0].hashCode();
		}

	}

	/**
	 * A cache key: an attested certificate and the local trust domain its identity was
	 * built for.
	 */
	private record Attested(AttestedCertificate certificate, @Nullable String localTrustDomain) {

	}

}
