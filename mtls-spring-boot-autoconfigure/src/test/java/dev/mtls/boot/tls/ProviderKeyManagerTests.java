package dev.mtls.boot.tls;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import dev.mtls.boot.pki.CertificateAuthority;
import dev.mtls.boot.pki.IssuedCertificate;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProviderKeyManager}.
 */
class ProviderKeyManagerTests {

	private static final Provider CONSCRYPT = Conscrypt.newProviderBuilder()
		.setName("Conscrypt-test")
		.provideTrustManager(false)
		.build();

	private final CertificateAuthority ca = CertificateAuthority.create("Test CA");

	private final ReloadableKeyManager identities = new ReloadableKeyManager();

	private final ProviderKeyManager keyManager = new ProviderKeyManager(this.identities, CONSCRYPT);

	private IssuedCertificate identity(String name) {
		return this.ca.certificate(name).serverAuth().issue();
	}

	private static X509ExtendedKeyManager keyManagerOf(IssuedCertificate identity) throws Exception {
		KeyStore store = new PemSslStoreBundle(
				PemSslStore.of("JKS", "mtls", "", identity.getChain(), identity.getPrivateKey()), null)
			.getKeyStore();
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(store, new char[0]);
		return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
	}

	private static void assertSameKey(PrivateKey key, IssuedCertificate identity) {
		assertThat(key.getClass().getName()).startsWith("org.conscrypt.");
		assertThat(((ECPrivateKey) key).getS()).isEqualTo(((ECPrivateKey) identity.getPrivateKey()).getS());
	}

	@Test
	void getPrivateKeyWhenConscryptThenSameKeyOfConscrypt() throws Exception {
		IssuedCertificate identity = identity("server");
		this.identities.update(keyManagerOf(identity));

		PrivateKey key = this.keyManager.getPrivateKey(this.keyManager.chooseEngineServerAlias("EC", null, null));

		assertSameKey(key, identity);
	}

	@Test
	void getPrivateKeyWhenAskedAgainThenConvertedOnce() throws Exception {
		this.identities.update(keyManagerOf(identity("server")));
		String alias = this.keyManager.chooseServerAlias("EC", null, null);

		PrivateKey first = this.keyManager.getPrivateKey(alias);
		PrivateKey second = this.keyManager.getPrivateKey(this.keyManager.chooseServerAlias("EC", null, null));

		assertThat(second).isSameAs(first);
	}

	@Test
	void getPrivateKeyWhenIdentityReloadedThenNewKeyServed() throws Exception {
		this.identities.update(keyManagerOf(identity("first")));
		PrivateKey before = this.keyManager.getPrivateKey(this.keyManager.chooseServerAlias("EC", null, null));
		IssuedCertificate second = identity("second");

		this.identities.update(keyManagerOf(second));
		String alias = this.keyManager.chooseServerAlias("EC", null, null);

		assertSameKey(this.keyManager.getPrivateKey(alias), second);
		assertThat(this.keyManager.getCertificateChain(alias)).containsExactlyElementsOf(second.getChain());
		assertThat(this.keyManager.getPrivateKey(alias)).isNotSameAs(before);
	}

	@Test
	void getPrivateKeyWhenAliasChosenBeforeReloadThenThatIdentitysKey() throws Exception {
		IssuedCertificate first = identity("first");
		IssuedCertificate second = identity("second");
		this.identities.update(keyManagerOf(first));
		String chosenBefore = this.keyManager.chooseEngineServerAlias("EC", null, null);
		this.identities.update(keyManagerOf(second));
		String chosenAfter = this.keyManager.chooseEngineServerAlias("EC", null, null);

		PrivateKey after = this.keyManager.getPrivateKey(chosenAfter);
		PrivateKey before = this.keyManager.getPrivateKey(chosenBefore);

		assertSameKey(after, second);
		assertSameKey(before, first);
		assertThat(this.keyManager.getCertificateChain(chosenBefore)).containsExactlyElementsOf(first.getChain());
	}

	@Test
	void getPrivateKeyWhenProviderCannotConvertThenIdentityKeyServed() throws Exception {
		IssuedCertificate identity = identity("server");
		this.identities.update(keyManagerOf(identity));
		Provider empty = new Provider("Empty", "1", "no key factories") {
		};
		ProviderKeyManager keyManager = new ProviderKeyManager(this.identities, empty);

		PrivateKey key = keyManager.getPrivateKey(keyManager.chooseServerAlias("EC", null, null));

		assertThat(key).isEqualTo(identity.getPrivateKey());
	}

	@Test
	void aliasesWhenListedThenIdentitysAliases() throws Exception {
		this.identities.update(keyManagerOf(identity("server")));

		assertThat(this.keyManager.getServerAliases("EC", null)).containsExactly("0:mtls");
		assertThat(this.keyManager.getClientAliases("EC", null)).containsExactly("0:mtls");
		assertThat(this.keyManager.chooseClientAlias(new String[] { "EC" }, null, null)).isEqualTo("0:mtls");
		assertThat(this.keyManager.chooseEngineClientAlias(new String[] { "EC" }, null, null)).isEqualTo("0:mtls");
	}

}
