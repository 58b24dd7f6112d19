package dev.mtls.boot.pki;

import java.security.GeneralSecurityException;
import java.security.PublicKey;

import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The X.509 extensions a {@link CertificateRequest} asks for: constraints, key usages,
 * names, revocation pointers and key identifiers.
 */
final class CertificateExtensions {

	private CertificateExtensions() {
	}

	static void add(X509v3CertificateBuilder builder, CertificateRequest request, PublicKey publicKey,
			PublicKey issuerPublicKey) throws GeneralSecurityException, CertIOException {
		JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(request.ca));
		int keyUsage = request.ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
				: KeyUsage.digitalSignature
						| ((request.rsaKeySize > 0) ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
		if (!request.extendedKeyUsages.isEmpty()) {
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(request.extendedKeyUsages.toArray(KeyPurposeId[]::new)));
		}
		if (!request.subjectAlternativeNames.isEmpty()) {
			// RFC 5280 4.2.1.6: critical when the subject is empty, as it then names the
			// holder.
			builder.addExtension(Extension.subjectAlternativeName, request.hasEmptySubject(),
					new GeneralNames(request.subjectAlternativeNames.toArray(GeneralName[]::new)));
		}
		if (request.ocspResponder != null) {
			builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
					new AccessDescription(AccessDescription.id_ad_ocsp, uri(request.ocspResponder))));
		}
		if (request.crlDistributionPoint != null) {
			builder.addExtension(Extension.cRLDistributionPoints, false,
					new CRLDistPoint(new DistributionPoint[] { new DistributionPoint(
							new DistributionPointName(new GeneralNames(uri(request.crlDistributionPoint))), null,
							null) }));
		}
		builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
		builder.addExtension(Extension.authorityKeyIdentifier, false,
				extensions.createAuthorityKeyIdentifier(issuerPublicKey));
	}

	private static GeneralName uri(String url) {
		return new GeneralName(GeneralName.uniformResourceIdentifier, url);
	}

}
