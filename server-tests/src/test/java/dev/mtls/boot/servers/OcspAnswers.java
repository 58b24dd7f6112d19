package dev.mtls.boot.servers;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import dev.mtls.boot.pki.CertificateAuthority;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP answers signed by the issuing CA itself, as a responder without a delegated
 * signing certificate gives them.
 */
final class OcspAnswers {

	private OcspAnswers() {
	}

	/**
	 * Return a successful OCSP response saying that a certificate is good for the next
	 * hour, DER-encoded.
	 * @param issuer the certificate's issuer
	 * @param certificate the certificate
	 * @return the response
	 * @throws IOException on a failure to build it
	 */
	static byte[] good(CertificateAuthority issuer, X509Certificate certificate) throws IOException {
		try {
			DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
			X509Certificate issuerCertificate = issuer.getCertificate();
			Instant now = Instant.now();
			JcaBasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(issuerCertificate.getPublicKey(), sha1);
			builder.addResponse(new JcaCertificateID(sha1, issuerCertificate, certificate.getSerialNumber()),
					CertificateStatus.GOOD, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofHours(1))));
			String algorithm = "EC".equals(issuer.getPrivateKey().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
			BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder(algorithm).build(issuer.getPrivateKey()),
					new X509CertificateHolder[0], Date.from(now));
			OCSPResp response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
			return response.getEncoded();
		}
		catch (OperatorCreationException | OCSPException | CertificateEncodingException ex) {
			throw new IOException("Unable to build an OCSP response", ex);
		}
	}

}
