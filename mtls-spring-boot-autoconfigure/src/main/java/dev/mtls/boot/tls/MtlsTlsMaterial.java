package dev.mtls.boot.tls;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;

import dev.mtls.boot.identity.CertificateIdentity;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.trust.CertificateValidator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.core.io.ResourceLoader;

/**
 * The service's TLS material, current and reloadable: the generation in use, and the key
 * and trust managers every {@code SSLContext} of the {@code mtls} bundle uses. The
 * managers ask for the current material on each handshake, so a reload reaches new
 * connections, inbound and outbound, without touching established ones. A reload that
 * fails keeps the last good material.
 *
 * @since 0.1.0
 */
public final class MtlsTlsMaterial {

	/**
	 * Name of the SSL bundle that serves this material.
	 */
	public static final String BUNDLE_NAME = "mtls";

	private static final Log logger = LogFactory.getLog(MtlsTlsMaterial.class);

	private final TlsMaterialSource source;

	private final TlsMaterialLoader loader;

	private final ResourceLoader resourceLoader;

	private final ObjectProvider<SslBundles> sslBundles;

	private final AtomicReference<@Nullable LoadedMaterial> current = new AtomicReference<>();

	private final AtomicLong reloads = new AtomicLong();

	private final AtomicLong reloadFailures = new AtomicLong();

	private volatile @Nullable String lastReloadFailure;

	private final ReloadableKeyManager keyManager = new ReloadableKeyManager();

	private final SslManagerBundle managers;

	private final SslManagerBundle managersWithoutHostNameVerification;

	private final SslContextRegistry contexts;

	private final MtlsListener listener;

	private final RefusedRenegotiations refusedRenegotiations;

	/**
	 * Create the material and load it, unless it comes from a named bundle, which is
	 * loaded on first use (the bundle registry does not exist yet).
	 * @param source where the material comes from
	 * @param resourceLoader the loader of identity, trust and CRL locations
	 * @param sslBundles the application's SSL bundles, for a named bundle
	 * @param listener told of reloads and refused peers
	 */
	public MtlsTlsMaterial(TlsMaterialSource source, ResourceLoader resourceLoader,
			ObjectProvider<SslBundles> sslBundles, MtlsListener listener) {
		this.source = source;
		this.resourceLoader = resourceLoader;
		this.sslBundles = sslBundles;
		this.listener = listener;
		this.refusedRenegotiations = new RefusedRenegotiations(listener);
		this.loader = new TlsMaterialLoader(resourceLoader, sslBundles::getObject);
		this.contexts = new SslContextRegistry(source.revocation().cacheTimeToLive());
		this.managers = newManagers(true);
		this.managersWithoutHostNameVerification = newManagers(false);
		if (source.bundle() == null) {
			LoadedMaterial loaded = this.loader.load(source);
			logger.info("mTLS identity '%s' (expires %s), %s".formatted(loaded.subject(), loaded.notAfter(),
					trustSummary(loaded)));
			use(loaded);
		}
	}

	private SslManagerBundle newManagers(boolean verifyHostNames) {
		ValidatingTrustManager trustManager = new ValidatingTrustManager(() -> current().validator(), this.listener,
				verifyHostNames);
		return SslManagerBundle.of(FixedManagerFactories.forKeyManager(this.keyManager),
				FixedManagerFactories.forTrustManagers(trustManager));
	}

	/**
	 * Return the key and trust managers of every context on this material.
	 * @param verifyHostNames whether the trust manager verifies servers' host names
	 * @return the managers
	 */
	SslManagerBundle managers(boolean verifyHostNames) {
		return verifyHostNames ? this.managers : this.managersWithoutHostNameVerification;
	}

	LoadedMaterial current() {
		LoadedMaterial loaded = this.current.get();
		if (loaded != null) {
			return loaded;
		}
		// mtls.bundle: the named bundle exists only once the registry does, so load on
		// first use.
		synchronized (this) {
			loaded = this.current.get();
			if (loaded == null) {
				loaded = this.loader.load(this.source);
				use(loaded);
				String name = this.source.bundle();
				if (name != null) {
					this.sslBundles.getObject().addBundleUpdateHandler(name, (updated) -> reload());
				}
			}
			return loaded;
		}
	}

	private void use(LoadedMaterial loaded) {
		this.keyManager.update(loaded.keyManager());
		this.current.set(loaded);
	}

	/**
	 * Validate a client's chain with the current trust, policy and revocation.
	 * @param chain the client's chain, leaf first
	 * @throws CertificateException if it is refused
	 */
	public void verifyClient(X509Certificate[] chain) throws CertificateException {
		current().validator().validateClient(List.of(chain));
	}

	/**
	 * Validate the chain of a client certificate forwarded by a trusted proxy with the
	 * current forwarded trust ({@code mtls.forwarded.trust}, else {@code mtls.trust}),
	 * policy and revocation.
	 * @param chain the forwarded chain, leaf first
	 * @throws CertificateException if it is refused
	 */
	public void verifyForwardedClient(X509Certificate[] chain) throws CertificateException {
		current().forwardedValidator().validateClient(List.of(chain));
	}

	/**
	 * Load the material again and use it for new connections; if it does not load, keep
	 * the current material and count the failure.
	 * @return whether the new material is in use
	 */
	public synchronized boolean reload() {
		try {
			LoadedMaterial loaded = this.loader.load(this.source);
			use(loaded);
			this.contexts.invalidateSessions();
			this.reloads.incrementAndGet();
			this.lastReloadFailure = null;
			this.listener.reloaded(true);
			logger.info("mTLS material reloaded: identity '%s' (serial %s, expires %s), %s".formatted(loaded.subject(),
					loaded.serial(), loaded.notAfter(), trustSummary(loaded)));
			return true;
		}
		catch (RuntimeException ex) {
			this.reloadFailures.incrementAndGet();
			this.lastReloadFailure = ex.getMessage();
			this.listener.reloaded(false);
			logger.warn("mTLS material not reloaded, the previous material stays in use: " + ex.getMessage());
			return false;
		}
	}

	private static String trustSummary(LoadedMaterial loaded) {
		CertificateValidator validator = loaded.validator();
		return "%d trusted CAs, %d CRLs".formatted(validator.getTrusted().size(), validator.getCrlCount());
	}

	/**
	 * Create an {@link SSLContext} that always uses the current material, as the bundle's
	 * contexts do.
	 * @param provider the JSSE provider, for instance Conscrypt's, or {@code null} for
	 * the JDK's default
	 * @return the initialized context
	 */
	public SSLContext createSslContext(@Nullable Provider provider) {
		return createSslContext(provider, this.managers);
	}

	SSLContext createSslContext(@Nullable Provider provider, SslManagerBundle managers) {
		try {
			SSLContext context = SslContextRegistry.newContext(provider);
			context.init(managers.getKeyManagers(), managers.getTrustManagers(), null);
			return this.contexts.track(context);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to create a TLS context"
					+ ((provider != null) ? " with provider " + provider.getName() : ""), ex);
		}
	}

	/**
	 * Track the sessions of a context that a client library built itself on this
	 * material's managers, such as Netty's {@code SslContext}: keep them no longer than
	 * verdicts are cached, and end them on reload (a resumed session skips certificate
	 * validation). For clients only: a server context built elsewhere may resume sessions
	 * from stateless tickets, which no invalidation reaches; servers use
	 * {@link #createSslContext(Provider)}, whose contexts keep server sessions in their
	 * cache.
	 * @param sessions the context's sessions
	 * @return the same sessions
	 */
	public SSLSessionContext track(SSLSessionContext sessions) {
		return this.contexts.track(sessions);
	}

	/**
	 * Return an SSL bundle whose contexts always use the current material.
	 * @param options the protocols and cipher suites
	 * @return the bundle
	 */
	public SslBundle bundle(SslOptions options) {
		return bundle(options, true);
	}

	/**
	 * Return an SSL bundle whose contexts always use the current material, and whose
	 * clients check or skip that a server's certificate matches the host name called (its
	 * chain is validated either way).
	 * @param options the protocols and cipher suites
	 * @param verifyHostNames whether clients verify the server's host name
	 * @return the bundle
	 */
	public SslBundle bundle(SslOptions options, boolean verifyHostNames) {
		return new MaterialSslBundle(this, options, verifyHostNames);
	}

	/**
	 * Return whether the bundle is one of this material's whose clients skip the host
	 * name check, for clients (Apache HttpClient) that check host names outside the trust
	 * manager.
	 * @param bundle the bundle, or {@code null}
	 * @return whether its clients skip the host name check
	 */
	public static boolean skipsHostNameVerification(@Nullable SslBundle bundle) {
		return bundle instanceof MaterialSslBundle materialBundle && !materialBundle.verifyHostNames();
	}

	/**
	 * Return whether the bundle is one of this material's, whose trust manager checks the
	 * server's identity (host name, or expected SPIFFE ID) during the handshake.
	 * @param bundle the bundle, or {@code null}
	 * @return whether it is a bundle of the starter's material
	 */
	public static boolean isMaterialBundle(@Nullable SslBundle bundle) {
		return bundle instanceof MaterialSslBundle;
	}

	/**
	 * Return where the material comes from.
	 * @return the source
	 */
	public TlsMaterialSource getSource() {
		return this.source;
	}

	RefusedRenegotiations refusedRenegotiations() {
		return this.refusedRenegotiations;
	}

	/**
	 * Return the identity's certificate chain, leaf first.
	 * @return the chain (loaded first, for {@code mtls.bundle}, if not used yet)
	 */
	public List<X509Certificate> getIdentityChain() {
		return current().chain();
	}

	/**
	 * Return the workload's own SPIFFE trust domain, where peers are validated by trust
	 * domain ({@code mtls.spiffe.enabled}): the trust domain of the current SVID. Peers
	 * of any other trust domain are {@linkplain CertificateIdentity#isFederated()
	 * federated}.
	 * @return the trust domain, or {@code null} without SPIFFE
	 * @since 0.1.0
	 */
	public @Nullable String getLocalTrustDomain() {
		return current().validator().getLocalTrustDomain();
	}

	/**
	 * Return the trusted CA certificates currently in use.
	 * @return the trust anchors
	 */
	public List<X509Certificate> getTrustAnchors() {
		return current().validator().getTrusted();
	}

	public long getReloadCount() {
		return this.reloads.get();
	}

	public long getReloadFailureCount() {
		return this.reloadFailures.get();
	}

	public @Nullable String getLastReloadFailure() {
		return this.lastReloadFailure;
	}

}
