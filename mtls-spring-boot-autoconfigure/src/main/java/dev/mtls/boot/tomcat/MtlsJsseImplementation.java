package dev.mtls.boot.tomcat;

import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSession;

import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;

/**
 * Tomcat's JSSE implementation with a cheaper {@link SSLSupport}, set on the mTLS
 * connector by {@link MtlsTomcatConnectorCustomizer}. Reading the client certificate
 * makes Tomcat fill in every TLS request attribute on every request; see
 * {@link MtlsJsseSupport} for what that costs and what changes. Tomcat creates it by
 * class name, hence public.
 *
 * @since 0.1.0
 */
public class MtlsJsseImplementation extends JSSEImplementation {

	@Override
	public SSLSupport getSSLSupport(SSLSession session, Map<String, List<String>> additionalAttributes) {
		return new MtlsJsseSupport(session, additionalAttributes);
	}

}
