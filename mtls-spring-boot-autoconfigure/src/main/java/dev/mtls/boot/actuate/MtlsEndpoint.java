package dev.mtls.boot.actuate;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.monitor.SeenPeers;
import dev.mtls.boot.security.CertificateAuthentication;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;

/**
 * The {@code mtls} actuator endpoint: identity, trust anchors, effective server settings,
 * reloads, and for the callers {@code mtls.management.show-details} and
 * {@code mtls.management.roles} allow, authorization rules and recently seen peers. Never
 * key material or passwords.
 *
 * @since 0.1.0
 */
@Endpoint(id = "mtls")
public class MtlsEndpoint {

	private final MtlsTlsMaterial material;

	private final SslBundles sslBundles;

	private final Settings settings;

	private final @Nullable SeenPeers peers;

	private final Show showDetails;

	private final List<IdentityPattern> roles;

	/**
	 * Create an endpoint that shows its details (rules and peers) to nobody.
	 * @param material the TLS material
	 * @param sslBundles the bundles, holding {@value MtlsTlsMaterial#BUNDLE_NAME}
	 * @param settings the settings to show
	 * @param peers the recently seen peers, if tracked
	 */
	public MtlsEndpoint(MtlsTlsMaterial material, SslBundles sslBundles, Settings settings, @Nullable SeenPeers peers) {
		this(material, sslBundles, settings, peers, Show.WHEN_AUTHORIZED, List.of());
	}

	/**
	 * Create an endpoint.
	 * @param material the TLS material
	 * @param sslBundles the bundles, holding {@value MtlsTlsMaterial#BUNDLE_NAME}
	 * @param settings the settings to show
	 * @param peers the recently seen peers, if tracked
	 * @param showDetails when to show the authorization rules and the peers
	 * @param roles the callers that see them with {@link Show#WHEN_AUTHORIZED}
	 */
	public MtlsEndpoint(MtlsTlsMaterial material, SslBundles sslBundles, Settings settings, @Nullable SeenPeers peers,
			Show showDetails, List<IdentityPattern> roles) {
		this.material = material;
		this.sslBundles = sslBundles;
		this.settings = settings;
		this.peers = peers;
		this.showDetails = showDetails;
		this.roles = List.copyOf(roles);
	}

	/**
	 * Describe the service's mTLS: to every caller its identity, trust anchors, server
	 * settings and reloads; the authorization rules and the peers seen only to callers
	 * the details are shown to.
	 * @param securityContext the caller
	 * @return the description
	 */
	@ReadOperation
	public Map<String, @Nullable Object> mtls(SecurityContext securityContext) {
		boolean details = showDetails(securityContext.getPrincipal());
		Instant now = Instant.now();
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		List<X509Certificate> chain = this.material.getIdentityChain();
		body.put("identity", chain.isEmpty() ? null : CertificateDescriptions.full(chain.get(0), now));
		body.put("identityChain", CertificateDescriptions.brief(chain, now));
		body.put("trustAnchors", CertificateDescriptions.brief(this.material.getTrustAnchors(), now));
		body.put("server", server());
		if (details) {
			body.put("authorization", authorization());
		}
		Map<String, @Nullable Object> reload = new LinkedHashMap<>();
		reload.put("reloads", this.material.getReloadCount());
		reload.put("failures", this.material.getReloadFailureCount());
		reload.put("lastFailure", this.material.getLastReloadFailure());
		body.put("reload", reload);
		if (details) {
			body.put("peers", (this.peers != null) ? this.peers.describe() : List.of());
		}
		return body;
	}

	// Rules and peers name every client and what it may do: for operators only, as
	// Spring Boot shows health details.
	private boolean showDetails(@Nullable Principal principal) {
		return switch (this.showDetails) {
			case NEVER -> false;
			case ALWAYS -> true;
			case WHEN_AUTHORIZED -> (principal instanceof CertificateAuthentication caller) && this.roles.stream()
				.anyMatch((role) -> role.matches(caller.getPrincipal(), caller.getAuthorityNames()));
		};
	}

	private Map<String, @Nullable Object> server() {
		var options = this.sslBundles.getBundle(MtlsTlsMaterial.BUNDLE_NAME).getOptions();
		Map<String, @Nullable Object> server = new LinkedHashMap<>();
		server.put("clientAuth", this.settings.clientAuth().name().toLowerCase(Locale.ROOT));
		server.put("protocols", options.getEnabledProtocols());
		server.put("cipherSuites", options.getCiphers());
		server.put("managementClientAuth", this.settings.managementClientAuth().name().toLowerCase(Locale.ROOT));
		return server;
	}

	private Map<String, @Nullable Object> authorization() {
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("default", this.settings.defaultAccess().toLowerCase(Locale.ROOT));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (int i = 0; i < this.settings.rules().size(); i++) {
			Rule rule = this.settings.rules().get(i);
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("name", "mtls.authorization.rules[" + i + "]");
			entry.put("paths", rule.paths());
			entry.put("methods", rule.methods());
			entry.put(rule.permitAll() ? "permitAll" : "allow", rule.permitAll() ? true : rule.allow());
			rules.add(entry);
		}
		description.put("rules", rules);
		return description;
	}

	/**
	 * The settings the endpoint shows.
	 *
	 * @param clientAuth the client-auth of the server ({@code mtls.server.client-auth})
	 * @param managementClientAuth the client-auth of a separate management server
	 * ({@code mtls.management.client-auth})
	 * @param defaultAccess what requests that no rule matches get
	 * ({@code mtls.authorization.default})
	 * @param rules the authorization rules, in order ({@code mtls.authorization.rules})
	 */
	public record Settings(Ssl.ClientAuth clientAuth, Ssl.ClientAuth managementClientAuth, String defaultAccess,
			List<Rule> rules) {

	}

	/**
	 * One authorization rule as the endpoint shows it.
	 *
	 * @param paths the path patterns
	 * @param methods the HTTP methods, all when empty
	 * @param allow the identity patterns that it permits
	 * @param permitAll whether it permits every request
	 */
	public record Rule(List<String> paths, List<String> methods, List<String> allow, boolean permitAll) {

	}

}
