package dev.mtls.boot.tomcat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSession;

import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.jsse.JSSESupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link MtlsJsseSupport} gives exactly the attribute values of Tomcat's
 * {@link JSSESupport}.
 */
class MtlsJsseSupportTests {

	@Test
	void sessionIdWhenBytesOfEveryRangeThenSameAsTomcat() throws IOException {
		byte[] id = new byte[32];
		for (int i = 0; i < id.length; i++) {
			id[i] = (byte) (i * 37 - 128);
		}
		SSLSession session = session(id);

		assertThat(new MtlsJsseSupport(session, Map.of()).getSessionId())
			.isEqualTo(new JSSESupport(session, Map.of()).getSessionId())
			.hasSize(64);
	}

	@Test
	void sessionIdWhenEmptyOrNoSessionThenNullAsTomcat() throws IOException {
		assertThat(new MtlsJsseSupport(session(new byte[0]), Map.of()).getSessionId()).isNull();
		assertThat(new JSSESupport(session(new byte[0]), Map.of()).getSessionId()).isNull();
		assertThat(new MtlsJsseSupport(null, Map.of()).getSessionId()).isNull();
	}

	@Test
	void sessionIdWhenSessionReplacedThenNewSessionsId() throws IOException {
		MtlsJsseSupport support = new MtlsJsseSupport(session(new byte[] { 1 }), Map.of());
		support.setSession(session(new byte[] { 2 }));

		assertThat(support.getSessionId()).isEqualTo("02");
	}

	@Test
	void requestedCiphersAndProtocolsThenSameAsTomcat() throws IOException {
		Map<String, List<String>> attributes = new HashMap<>();
		attributes.put(SSLSupport.REQUESTED_CIPHERS_KEY,
				List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"));
		attributes.put(SSLSupport.REQUESTED_PROTOCOL_VERSIONS_KEY, List.of("TLSv1.3", "TLSv1.2"));
		SSLSession session = session(new byte[] { 1 });
		MtlsJsseSupport support = new MtlsJsseSupport(session, attributes);
		JSSESupport tomcat = new JSSESupport(session, attributes);

		assertThat(support.getRequestedCiphers()).isEqualTo(tomcat.getRequestedCiphers())
			.isEqualTo("TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256");
		assertThat(support.getRequestedProtocols()).isEqualTo(tomcat.getRequestedProtocols())
			.isEqualTo("TLSv1.3,TLSv1.2");
		assertThat(support.getRequestedCiphers()).isEqualTo(tomcat.getRequestedCiphers());
	}

	@Test
	void requestedCiphersWhenMissingEmptyOrWithNullNameThenSameAsTomcat() throws IOException {
		SSLSession session = session(new byte[] { 1 });
		Map<String, List<String>> attributes = new HashMap<>();
		attributes.put(SSLSupport.REQUESTED_CIPHERS_KEY, Arrays.asList("TLS_AES_128_GCM_SHA256", null));
		attributes.put(SSLSupport.REQUESTED_PROTOCOL_VERSIONS_KEY, List.of());

		assertThat(new MtlsJsseSupport(session, attributes).getRequestedCiphers())
			.isEqualTo(new JSSESupport(session, attributes).getRequestedCiphers());
		assertThat(new MtlsJsseSupport(session, attributes).getRequestedProtocols())
			.isEqualTo(new JSSESupport(session, attributes).getRequestedProtocols())
			.isEmpty();
		assertThat(new MtlsJsseSupport(session, Map.of()).getRequestedCiphers())
			.isEqualTo(new JSSESupport(session, Map.of()).getRequestedCiphers());
		assertThat(new MtlsJsseSupport(session, null).getRequestedCiphers()).isNull();
		assertThat(new JSSESupport(session, null).getRequestedCiphers()).isNull();
	}

	@Test
	void requestedCiphersWhenAnotherConnectionOffersOthersThenItsOwn() throws IOException {
		SSLSession session = session(new byte[] { 1 });
		List<String> offer = new ArrayList<>(List.of("TLS_AES_128_GCM_SHA256"));
		Map<String, List<String>> attributes = new HashMap<>(Map.of(SSLSupport.REQUESTED_CIPHERS_KEY, offer));
		assertThat(new MtlsJsseSupport(session, attributes).getRequestedCiphers()).isEqualTo("TLS_AES_128_GCM_SHA256");

		// Tomcat reuses a connection's attribute map for the next connection on the
		// channel.
		attributes.put(SSLSupport.REQUESTED_CIPHERS_KEY, List.of("TLS_AES_256_GCM_SHA384"));
		offer.add("TLS_AES_256_GCM_SHA384");

		assertThat(new MtlsJsseSupport(session, attributes).getRequestedCiphers()).isEqualTo("TLS_AES_256_GCM_SHA384");
		assertThat(new MtlsJsseSupport(session, Map.of(SSLSupport.REQUESTED_CIPHERS_KEY, offer)).getRequestedCiphers())
			.isEqualTo("TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384");
	}

	private static SSLSession session(byte[] id) {
		SSLSession session = mock(SSLSession.class);
		given(session.getId()).willReturn(id);
		return session;
	}

}
