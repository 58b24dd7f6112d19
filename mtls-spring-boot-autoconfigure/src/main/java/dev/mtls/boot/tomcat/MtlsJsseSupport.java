package dev.mtls.boot.tomcat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLSession;

import org.apache.tomcat.util.net.jsse.JSSESupport;
import org.jspecify.annotations.Nullable;

/**
 * The TLS request attributes of {@link JSSESupport}, with the same values, made without
 * the garbage. Tomcat computes all of them whenever an application reads one, and the
 * starter reads the client certificate on every request: Tomcat's own support renders the
 * session ID one byte-string at a time and joins the cipher suites the client offered (a
 * kilobyte) anew for every request, a few percent of a keep-alive request's CPU. Here the
 * session ID is one {@link HexFormat} call and the joined names come from a small cache
 * keyed by the names, which clients of one kind offer identically.
 */
final class MtlsJsseSupport extends JSSESupport {

	private static final HexFormat HEX = HexFormat.of();

	/**
	 * Distinct offers worth keeping; a client population rarely has more than a handful.
	 */
	private static final int MAX_CACHED_OFFERS = 64;

	private static final Map<List<String>, String> JOINED = new ConcurrentHashMap<>();

	private @Nullable SSLSession session;

	private final @Nullable Map<String, List<String>> additionalAttributes;

	MtlsJsseSupport(@Nullable SSLSession session, @Nullable Map<String, List<String>> additionalAttributes) {
		super(session, additionalAttributes);
		this.session = session;
		this.additionalAttributes = additionalAttributes;
	}

	@Override
	public void setSession(SSLSession session) {
		super.setSession(session);
		this.session = session;
	}

	@Override
	public @Nullable String getSessionId() {
		SSLSession session = this.session;
		byte[] id = (session != null) ? session.getId() : null;
		return (id != null && id.length > 0) ? HEX.formatHex(id) : null;
	}

	@Override
	public @Nullable String getRequestedProtocols() {
		return joined(REQUESTED_PROTOCOL_VERSIONS_KEY);
	}

	@Override
	public @Nullable String getRequestedCiphers() {
		return joined(REQUESTED_CIPHERS_KEY);
	}

	private @Nullable String joined(String key) {
		if (this.additionalAttributes == null) {
			return null;
		}
		List<String> names = this.additionalAttributes.get(key);
		if (names == null || names.isEmpty()) {
			return "";
		}
		String joined = JOINED.get(names);
		if (joined == null) {
			joined = String.join(",", names);
			if (JOINED.size() >= MAX_CACHED_OFFERS) {
				JOINED.clear();
			}
			JOINED.put(Collections.unmodifiableList(new ArrayList<>(names)), joined);
		}
		return joined;
	}

}
