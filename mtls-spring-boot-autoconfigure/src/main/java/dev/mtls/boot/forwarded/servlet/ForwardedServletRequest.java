package dev.mtls.boot.forwarded.servlet;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A request whose client certificate chain is replaced, and whose forwarding headers are
 * hidden when they came from a peer that is not a trusted proxy.
 */
final class ForwardedServletRequest extends HttpServletRequestWrapper {

	private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final Set<String> hidden;

	private X509Certificate @Nullable [] chain;

	// A request from a peer that is not a trusted proxy: the forwarding headers are
	// hidden, the peer's chain stays.
	ForwardedServletRequest(HttpServletRequest request, List<String> headers, X509Certificate @Nullable [] chain) {
		this(request, headers, chain, true);
	}

	ForwardedServletRequest(HttpServletRequest request, List<String> headers, X509Certificate @Nullable [] chain,
			boolean hide) {
		super(request);
		this.hidden = hide ? headers.stream().map((name) -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())
				: Set.of();
		this.chain = chain;
	}

	private boolean isHidden(String name) {
		return !this.hidden.isEmpty() && this.hidden.contains(name.toLowerCase(Locale.ROOT));
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		if (CERTIFICATES_ATTRIBUTE.equals(name)) {
			return (this.chain != null) ? this.chain.clone() : null;
		}
		return super.getAttribute(name);
	}

	@Override
	public void setAttribute(String name, Object value) {
		if (CERTIFICATES_ATTRIBUTE.equals(name)) {
			this.chain = (value instanceof X509Certificate[] certificates) ? certificates.clone() : null;
			return;
		}
		super.setAttribute(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		if (CERTIFICATES_ATTRIBUTE.equals(name)) {
			this.chain = null;
			return;
		}
		super.removeAttribute(name);
	}

	@Override
	public @Nullable String getHeader(String name) {
		return isHidden(name) ? null : super.getHeader(name);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		return isHidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		if (this.hidden.isEmpty()) {
			return super.getHeaderNames();
		}
		List<String> names = Collections.list(super.getHeaderNames());
		names.removeIf(this::isHidden);
		return Collections.enumeration(names);
	}

	@Override
	public long getDateHeader(String name) {
		return isHidden(name) ? -1 : super.getDateHeader(name);
	}

	@Override
	public int getIntHeader(String name) {
		return isHidden(name) ? -1 : super.getIntHeader(name);
	}

}
