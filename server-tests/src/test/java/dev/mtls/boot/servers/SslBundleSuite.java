package dev.mtls.boot.servers;

import dev.mtls.boot.test.TestCertificateAuthority;
import dev.mtls.boot.test.TestCertificateAuthority.PemFiles;

/**
 * The client-auth need suite with the material from a Spring Boot SSL bundle
 * ({@code mtls.bundle}) instead of {@code mtls.identity} and {@code mtls.trust}: the
 * starter's checks, protocols and suites hold the same.
 */
abstract class SslBundleSuite extends ClientAuthNeedSuite {

	SslBundleSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		// The personas and the CRL of the need suite; its mtls.identity and mtls.trust
		// properties are left out.
		super.properties(ca);
		PemFiles server = ca.writePem("server", ca.getServerCertificate());
		return new String[] { "mtls.bundle=service",
				"spring.ssl.bundle.pem.service.keystore.certificate=" + server.certificateLocation(),
				"spring.ssl.bundle.pem.service.keystore.private-key=" + server.privateKeyLocation(),
				"spring.ssl.bundle.pem.service.truststore.certificate="
						+ ca.fileLocation(ca.writeCaCertificate().getFileName().toString()),
				"mtls.revocation.crls=" + ca.fileLocation("ca.crl") };
	}

}
