package dev.mtls.boot.autoconfigure.forwarded;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.mtls.boot.config.MtlsConfigurationException;
import dev.mtls.boot.forwarded.ForwardedCertificateFormat;
import dev.mtls.boot.forwarded.ForwardedCertificateResolver;
import dev.mtls.boot.forwarded.TrustedProxies;
import dev.mtls.boot.identity.IdentityPattern;
import dev.mtls.boot.identity.InvalidIdentityPatternException;
import dev.mtls.boot.identity.IpRange;
import dev.mtls.boot.monitor.MtlsListener;
import dev.mtls.boot.security.ClientChainVerifier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Checks {@code mtls.forwarded.*} and builds the resolver from it; every bad value stops
 * start-up naming its property.
 */
final class ForwardedResolverFactory {

	private static final Log logger = LogFactory.getLog(ForwardedResolverFactory.class);

	private static final String PREFIX = "mtls.forwarded.";

	private static final String TOMCAT_REMOTE_IP_VALVE = "org.apache.catalina.valves.RemoteIpValve";

	private ForwardedResolverFactory() {
	}

	static ForwardedCertificateResolver resolver(MtlsForwardedProperties properties, Environment environment,
			ClientChainVerifier verifier, ClientChainVerifier forwardedVerifier, MtlsListener listener) {
		ForwardedCertificateFormat format = properties.getFormat();
		if (format == null) {
			throw new MtlsConfigurationException(PREFIX + "format", null, "no format is set",
					"Set mtls.forwarded.format to the proxy's: one of "
							+ Arrays.stream(ForwardedCertificateFormat.values())
								.map((value) -> value.name().toLowerCase(Locale.ROOT))
								.toList()
							+ ".");
		}
		List<String> headers = headers(format, properties.getHeader());
		if (properties.getEncoding() != null && format != ForwardedCertificateFormat.HEADER) {
			throw new MtlsConfigurationException(PREFIX + "encoding",
					properties.getEncoding().name().toLowerCase(Locale.ROOT).replace('_', '-'),
					"applies only to mtls.forwarded.format=header; the " + format.name().toLowerCase(Locale.ROOT)
							+ " format has its own encoding",
					"Remove mtls.forwarded.encoding, or set mtls.forwarded.format=header.");
		}
		checkHop(properties, format);
		if (properties.isTrustProxyVerification() && format != ForwardedCertificateFormat.XFCC) {
			throw new MtlsConfigurationException(PREFIX + "trust-proxy-verification", "true",
					"applies only to mtls.forwarded.format=xfcc; the " + format.name().toLowerCase(Locale.ROOT)
							+ " format always forwards the certificate, which is validated here",
					"Remove mtls.forwarded.trust-proxy-verification, or set mtls.forwarded.format=xfcc.");
		}
		if (properties.isTrustProxyVerification() && properties.getTrustedProxies().getIdentities().isEmpty()) {
			logger.warn("mtls.forwarded.trust-proxy-verification=true with proxies trusted by address alone: "
					+ "anything that can connect from mtls.forwarded.trusted-proxies.addresses can name any "
					+ "caller, with no certificate behind it");
		}
		ForwardedCertificateResolver resolver = new ForwardedCertificateResolver(format, headers,
				properties.getEncoding(), properties.getHop(),
				trustedProxies(properties.getTrustedProxies(), environment), verifier, listener);
		resolver.setForwardedVerifier(forwardedVerifier);
		resolver.setAuthenticateProxy(properties.isAuthenticateProxy());
		resolver.setTrustProxyVerification(properties.isTrustProxyVerification());
		return resolver;
	}

	private static void checkHop(MtlsForwardedProperties properties, ForwardedCertificateFormat format) {
		int hop = properties.getHop();
		if (hop == 1) {
			return;
		}
		String value = String.valueOf(hop);
		if (hop < 1 || hop > ForwardedCertificateResolver.MAX_HOP) {
			throw new MtlsConfigurationException(PREFIX + "hop", value,
					"must be 1 to " + ForwardedCertificateResolver.MAX_HOP,
					"Set mtls.forwarded.hop to 1 for the nearest proxy's XFCC element, or to the number of trusted proxies the element to read came through.");
		}
		if (format != ForwardedCertificateFormat.XFCC) {
			throw new MtlsConfigurationException(PREFIX + "hop", value,
					"applies only to mtls.forwarded.format=xfcc, whose header has one element per proxy",
					"Remove mtls.forwarded.hop.");
		}
		if (properties.getTrustedProxies().getIdentities().isEmpty()) {
			// A farther element is only as good as every nearer one, and a farther proxy
			// is known only by the certificate a nearer one forwarded for it.
			throw new MtlsConfigurationException(PREFIX + "hop", value,
					"a farther proxy is known only by the certificate in a nearer proxy's XFCC element, and no mtls.forwarded.trusted-proxies.identities are set to check it against",
					"Set mtls.forwarded.trusted-proxies.identities to patterns matching every proxy on the way (the direct one and the farther ones), or set mtls.forwarded.hop to 1.");
		}
	}

	private static List<String> headers(ForwardedCertificateFormat format, @Nullable String header) {
		if (header == null || header.isBlank()) {
			if (format == ForwardedCertificateFormat.HEADER) {
				throw new MtlsConfigurationException(PREFIX + "header", null,
						"the header format needs the header's name",
						"Set mtls.forwarded.header to the header the proxy sets, and mtls.forwarded.encoding to its encoding (url-pem, base64-der or pem).");
			}
			return List.of();
		}
		String name = header.strip();
		if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
			throw new MtlsConfigurationException(PREFIX + "header", header, "not an HTTP header name",
					"Set mtls.forwarded.header to the name of the header the proxy sets, such as X-SSL-Client-Cert.");
		}
		List<String> headers = new ArrayList<>(format.getDefaultHeaders());
		if (headers.isEmpty()) {
			headers.add(name);
		}
		else {
			headers.set(0, name);
		}
		return headers;
	}

	private static TrustedProxies trustedProxies(MtlsForwardedProperties.TrustedProxies properties,
			Environment environment) {
		String property = PREFIX + "trusted-proxies";
		if (properties.getIdentities().isEmpty() && properties.getAddresses().isEmpty()) {
			throw new MtlsConfigurationException(property, null,
					"no trusted proxy is set, so no forwarded certificate could ever count",
					"Set mtls.forwarded.trusted-proxies.identities to identity patterns of the proxy's client certificate (such as 'spiffe://acme.org/ns/ingress/sa/envoy'), and/or mtls.forwarded.trusted-proxies.addresses to its CIDR ranges.");
		}
		List<IdentityPattern> identities = new ArrayList<>();
		for (int i = 0; i < properties.getIdentities().size(); i++) {
			String value = properties.getIdentities().get(i);
			try {
				identities.add(IdentityPattern.parse(value));
			}
			catch (InvalidIdentityPatternException ex) {
				throw new MtlsConfigurationException(property + ".identities[%d]".formatted(i), value,
						"not an identity pattern: " + ex.getReason(),
						"Write it as a pattern only the proxy's certificate matches, such as 'spiffe://acme.org/ns/ingress/sa/envoy' or a full DN 'CN=ingress,OU=edge,O=Acme'.",
						ex);
			}
		}
		List<IpRange> addresses = new ArrayList<>();
		for (int i = 0; i < properties.getAddresses().size(); i++) {
			String value = properties.getAddresses().get(i);
			try {
				addresses.add(IpRange.of(value));
			}
			catch (IllegalArgumentException ex) {
				throw new MtlsConfigurationException(property + ".addresses[%d]".formatted(i), value,
						"not an address or CIDR range: " + ex.getMessage(),
						"Write it as an IPv4 or IPv6 address or CIDR range, such as 10.0.0.0/8 or 2001:db8::/32.", ex);
			}
		}
		if (!addresses.isEmpty() && forwardHeadersApplied(environment)) {
			throw new MtlsConfigurationException(property + ".addresses", null,
					"the remote address is taken from X-Forwarded-For or Forwarded headers (server.forward-headers-strategy is native or framework, or unset on a cloud platform; or server.tomcat.remoteip.protocol-header or remote-ip-header is set, which adds Tomcat's RemoteIpValve), so any caller could claim a trusted proxy's address",
					"Set server.forward-headers-strategy=none and leave server.tomcat.remoteip.* unset, or trust the proxies by their certificates alone (mtls.forwarded.trusted-proxies.identities).");
		}
		return new TrustedProxies(identities, addresses);
	}

	private static boolean forwardHeadersApplied(Environment environment) {
		// Boot's Tomcat customizer adds the RemoteIpValve for either property, whatever
		// the strategy (its default remote IP header is X-Forwarded-For).
		if (ClassUtils.isPresent(TOMCAT_REMOTE_IP_VALVE, ForwardedResolverFactory.class.getClassLoader())
				&& (StringUtils.hasText(environment.getProperty("server.tomcat.remoteip.protocol-header"))
						|| StringUtils.hasText(environment.getProperty("server.tomcat.remoteip.remote-ip-header")))) {
			return true;
		}
		String strategy = environment.getProperty("server.forward-headers-strategy");
		if (strategy != null && !strategy.isBlank()) {
			return !"none".equalsIgnoreCase(strategy.strip());
		}
		CloudPlatform platform = CloudPlatform.getActive(environment);
		return platform != null && platform.isUsingForwardHeaders();
	}

}
