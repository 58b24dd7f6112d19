package dev.mtls.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import dev.mtls.boot.testsupport.TestService;
import dev.mtls.boot.testsupport.TlsProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The curl command dev mode logs, pasted as a newcomer would: it names the dev client's
 * files, the server's port and a path the application answers.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevModeCurlCommandLoggerTests {

	private static final Pattern CURL = Pattern
		.compile("curl --cacert (\\S+) --cert (\\S+) --key (\\S+) https://localhost:(\\d+)(/\\S*)");

	@Test
	void curlCommandWhenDevModeThenCallsMappedPathOnActualPortAndAnswers(@TempDir Path directory, CapturedOutput output)
			throws IOException {
		try (TestService service = TestService.start("mtls.dev.enabled=true", "mtls.dev.directory=" + directory)) {
			Matcher curl = CURL.matcher(output.toString());
			assertThat(curl.find()).as("curl command in %s", output).isTrue();
			SSLContext client = SslBundle
				.of(new PemSslStoreBundle(
						PemSslStoreDetails.forCertificate("file:" + curl.group(2))
							.withPrivateKey("file:" + curl.group(3)),
						PemSslStoreDetails.forCertificate("file:" + curl.group(1))))
				.createSslContext();

			String response = TlsProbe.get(client, Integer.parseInt(curl.group(4)), curl.group(5));

			assertThat(curl.group(4)).isEqualTo(String.valueOf(service.port()));
			assertThat(curl.group(5)).isEqualTo("/whoami");
			assertThat(curl.group(2)).isEqualTo(directory.resolve("alice.crt").toString());
			assertThat(response).startsWith("HTTP/1.1 200").endsWith("alice");
		}
	}

}
