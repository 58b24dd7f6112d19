package dev.mtls.boot.tls;

import java.security.KeyStore;
import java.security.Principal;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ReloadableKeyManager}.
 */
class ReloadableKeyManagerTests {

	private static final String[] EC = { "EC" };

	private final CertificateAuthority ca = CertificateAuthority.create("Test CA");

	private final ReloadableKeyManager keyManager = new ReloadableKeyManager();

	private IssuedCertificate identity(String name) {
		return this.ca.certificate(name).serverAuth().clientAuth().issue();
	}

	private static X509ExtendedKeyManager keyManagerOf(IssuedCertificate identity) throws Exception {
		KeyStore store = new PemSslStoreBundle(
				PemSslStore.of("JKS", "mtls", "", identity.getChain(), identity.getPrivateKey()), null)
			.getKeyStore();
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(store, new char[0]);
		return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
	}

	@Test
	void keyManagerWhenNotLoadedThenFails() {
		assertThatIllegalStateException().isThrownBy(() -> this.keyManager.chooseServerAlias("EC", null, null))
			.withMessage("mTLS identity not loaded yet");
	}

	@Test
	void keyManagerWhenUpdatedThenNewAliasesServeNewIdentity() throws Exception {
		IssuedCertificate first = identity("first");
		IssuedCertificate second = identity("second");
		this.keyManager.update(keyManagerOf(first));
		this.keyManager.update(keyManagerOf(second));

		String alias = this.keyManager.chooseServerAlias("EC", null, null);

		assertThat(alias).startsWith("1:");
		assertThat(this.keyManager.getCertificateChain(alias)).containsExactlyElementsOf(second.getChain());
		assertThat(this.keyManager.getPrivateKey(alias)).isEqualTo(second.getPrivateKey());
	}

	@Test
	void keyManagerWhenAliasChosenBeforeUpdateThenSameGenerationServed() throws Exception {
		IssuedCertificate first = identity("first");
		IssuedCertificate second = identity("second");
		this.keyManager.update(keyManagerOf(first));
		String chosenBefore = this.keyManager.chooseClientAlias(EC, null, null);

		this.keyManager.update(keyManagerOf(second));

		assertThat(chosenBefore).startsWith("0:");
		assertThat(this.keyManager.getCertificateChain(chosenBefore)).containsExactlyElementsOf(first.getChain());
		assertThat(this.keyManager.getPrivateKey(chosenBefore)).isEqualTo(first.getPrivateKey());
	}

	@Test
	void keyManagerWhenAliasOlderThanPreviousGenerationThenCurrentServed() throws Exception {
		this.keyManager.update(keyManagerOf(identity("first")));
		String chosenFirst = this.keyManager.chooseServerAlias("EC", null, null);
		this.keyManager.update(keyManagerOf(identity("second")));
		IssuedCertificate third = identity("third");

		this.keyManager.update(keyManagerOf(third));

		assertThat(this.keyManager.getCertificateChain(chosenFirst)).containsExactlyElementsOf(third.getChain());
	}

	@Test
	void keyManagerWhenListingAliasesThenTaggedWithGeneration() throws Exception {
		this.keyManager.update(keyManagerOf(identity("first")));

		assertThat(this.keyManager.getServerAliases("EC", null)).containsExactly("0:mtls");
		assertThat(this.keyManager.getClientAliases("EC", null)).containsExactly("0:mtls");
	}

	@Test
	void keyManagerWhenServerNamesOtherCasThenNoClientAlias() throws Exception {
		this.keyManager.update(keyManagerOf(identity("first")));
		Principal other = CertificateAuthority.create("Other CA").getCertificate().getSubjectX500Principal();

		assertThat(this.keyManager.chooseClientAlias(EC, new Principal[] { other }, null)).isNull();
	}

	@Test
	void keyManagerWhenUpdatedThenGenerationsNumberedInOrder() throws Exception {
		for (IssuedCertificate identity : List.of(identity("a"), identity("b"), identity("c"))) {
			this.keyManager.update(keyManagerOf(identity));
		}

		assertThat(this.keyManager.chooseServerAlias("EC", null, null)).isEqualTo("2:mtls");
	}

}
