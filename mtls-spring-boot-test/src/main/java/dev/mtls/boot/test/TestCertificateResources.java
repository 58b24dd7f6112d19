package dev.mtls.boot.test;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ProtocolResolver;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Serves a test CA's material to the starter under {@code mtls-test:} locations, read
 * afresh on each load, so nothing is written to disk and a reload sees the current CRL.
 */
class TestCertificateResources implements ProtocolResolver {

	static final String PREFIX = "mtls-test:";

	static final String SERVER_CERTIFICATE = PREFIX + "server.crt";

	static final String SERVER_PRIVATE_KEY = PREFIX + "server.key";

	static final String CA_CERTIFICATE = PREFIX + "ca.crt";

	static final String CRL = PREFIX + "ca.crl";

	private final TestCertificateAuthority authority;

	TestCertificateResources(TestCertificateAuthority authority) {
		this.authority = authority;
	}

	@Override
	public @Nullable Resource resolve(String location, ResourceLoader resourceLoader) {
		String content = switch (location) {
			case SERVER_CERTIFICATE -> this.authority.getServerCertificate().getCertificatePem();
			case SERVER_PRIVATE_KEY -> this.authority.getServerCertificate().getPrivateKeyPem();
			case CA_CERTIFICATE -> this.authority.getCaCertificatePem();
			case CRL -> this.authority.getCrlPem();
			default -> null;
		};
		return (content != null) ? new ByteArrayResource(content.getBytes(StandardCharsets.US_ASCII), location) : null;
	}

}
