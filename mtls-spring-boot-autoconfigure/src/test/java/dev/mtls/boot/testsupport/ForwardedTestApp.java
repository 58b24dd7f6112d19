package dev.mtls.boot.testsupport;

import dev.mtls.boot.forwarded.ForwardingProxy;
import dev.mtls.boot.identity.CertificateIdentity;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service behind a proxy: every endpoint answers with the caller's principal name (or
 * "anonymous"), the forwarding proxy's common name or address (or "direct"), and whether
 * the application can see nginx's forwarding header.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
public class ForwardedTestApp {

	@GetMapping({ "/whoami", "/public/**" })
	String get(@AuthenticationPrincipal CertificateIdentity caller, HttpServletRequest request) {
		return describe(caller, (ForwardingProxy) request.getAttribute(ForwardingProxy.ATTRIBUTE),
				request.getHeader("ssl-client-cert") != null);
	}

	/**
	 * Describe what a request's handler sees.
	 * @param caller the principal, or {@code null}
	 * @param proxy the forwarding proxy, or {@code null}
	 * @param headerSeen whether the forwarding header is visible
	 * @return the description
	 */
	public static String describe(CertificateIdentity caller, ForwardingProxy proxy, boolean headerSeen) {
		String name = (caller != null) ? caller.getName() : "anonymous";
		String via = "direct";
		if (proxy != null) {
			via = (proxy.identity() != null) ? proxy.identity().getCommonName() : proxy.address();
		}
		return name + " via " + via + (headerSeen ? ", header seen" : "");
	}

}
