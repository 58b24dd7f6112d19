package dev.mtls.boot.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mtls.boot.autoconfigure.MtlsProperties;
import dev.mtls.boot.tls.MtlsTlsMaterial;
import dev.mtls.boot.monitor.SeenPeers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.ssl.SslBundles;

/**
 * The {@code mtls} actuator endpoint: identity, trust anchors, effective server settings,
 * authorization rules, reloads and recently seen peers. Never key material or passwords.
 *
 * @since 0.1.0
 */
@Endpoint(id = "mtls")
public class MtlsEndpoint {

	private final MtlsTlsMaterial material;

	private final MtlsProperties properties;

	private final SslBundles sslBundles;

	private final @Nullable SeenPeers peers;

	public MtlsEndpoint(MtlsTlsMaterial material, MtlsProperties properties, SslBundles sslBundles,
			@Nullable SeenPeers peers) {
		this.material = material;
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.peers = peers;
	}

	@ReadOperation
	public Map<String, @Nullable Object> mtls() {
		Instant now = Instant.now();
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		List<java.security.cert.X509Certificate> chain = this.material.getIdentityChain();
		body.put("identity", chain.isEmpty() ? null : CertificateDescriptions.full(chain.get(0), now));
		body.put("identityChain", CertificateDescriptions.brief(chain, now));
		body.put("trustAnchors", CertificateDescriptions.brief(this.material.getTrustAnchors(), now));
		body.put("server", server());
		body.put("authorization", authorization());
		Map<String, @Nullable Object> reload = new LinkedHashMap<>();
		reload.put("reloads", this.material.getReloadCount());
		reload.put("failures", this.material.getReloadFailureCount());
		reload.put("lastFailure", this.material.getLastReloadFailure());
		body.put("reload", reload);
		body.put("peers", (this.peers != null) ? this.peers.describe() : List.of());
		return body;
	}

	private Map<String, @Nullable Object> server() {
		var options = this.sslBundles.getBundle(MtlsProperties.DEFAULT_BUNDLE_NAME).getOptions();
		Map<String, @Nullable Object> server = new LinkedHashMap<>();
		server.put("clientAuth", this.properties.getServer().getClientAuth().name().toLowerCase(java.util.Locale.ROOT));
		server.put("protocols", options.getEnabledProtocols());
		server.put("cipherSuites", options.getCiphers());
		server.put("managementClientAuth",
				this.properties.getManagement().getClientAuth().name().toLowerCase(java.util.Locale.ROOT));
		return server;
	}

	private Map<String, @Nullable Object> authorization() {
		MtlsProperties.Authorization authorization = this.properties.getAuthorization();
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("default", authorization.getDefault().name().toLowerCase(java.util.Locale.ROOT));
		List<Map<String, Object>> rules = new java.util.ArrayList<>();
		for (int i = 0; i < authorization.getRules().size(); i++) {
			MtlsProperties.Rule rule = authorization.getRules().get(i);
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("name", "mtls.authorization.rules[" + i + "]");
			entry.put("paths", rule.getPaths());
			entry.put("methods", rule.getMethods());
			entry.put(rule.isPermitAll() ? "permitAll" : "allow", rule.isPermitAll() ? true : rule.getAllow());
			rules.add(entry);
		}
		description.put("rules", rules);
		return description;
	}

}
