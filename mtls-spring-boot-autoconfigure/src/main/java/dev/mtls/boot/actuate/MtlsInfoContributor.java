package dev.mtls.boot.actuate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import dev.mtls.boot.tls.MtlsTlsMaterial;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds the service's mTLS identity to {@code /actuator/info} under {@code mtls}.
 *
 * @since 0.1.0
 */
public class MtlsInfoContributor implements InfoContributor {

	private final MtlsTlsMaterial material;

	public MtlsInfoContributor(MtlsTlsMaterial material) {
		this.material = material;
	}

	@Override
	public void contribute(Info.Builder builder) {
		List<X509Certificate> chain = this.material.getIdentityChain();
		if (!chain.isEmpty()) {
			builder.withDetail("mtls", CertificateDescriptions.full(chain.get(0), Instant.now()));
		}
	}

}
