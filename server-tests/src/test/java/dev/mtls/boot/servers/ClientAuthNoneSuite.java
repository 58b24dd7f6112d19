package dev.mtls.boot.servers;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.mtls.boot.test.TestCertificateAuthority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mtls.server.client-auth=none}: the server asks for no certificate, so a client
 * sends none and is unauthorized where a rule needs one, while permit-all paths serve.
 */
abstract class ClientAuthNoneSuite extends ServerSuite {

	ClientAuthNoneSuite(Server server) {
		super(server);
	}

	@Override
	String[] properties(TestCertificateAuthority ca) {
		return ca.writeServiceProperties("mtls.server.client-auth=none", "mtls.authorization.rules[0].paths=/public/**",
				"mtls.authorization.rules[0].permit-all=true");
	}

	@Test
	void requestWhenClientHasCertificateThenNotRequestedAndUnauthorized() throws IOException {
		CompletableFuture<String> sent = new CompletableFuture<>();
		Response response = request(this.ca.client("alice").sslBundle().createSslContext(), "GET", "/whoami",
				(socket) -> socket.addHandshakeCompletedListener(
						(event) -> sent.complete((event.getLocalCertificates() != null) ? "sent" : "not sent")));

		assertThat(sent).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("not sent");
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void requestWhenPermitAllThenServedWithoutCertificate() throws IOException {
		Response response = request(withoutCertificate(), "GET", "/public/docs");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("anonymous");
	}

}
