package dev.mtls.boot.tls;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SslContextRegistry}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SslContextRegistryTests {

	private static final String SESSION_TICKETS = "jdk.tls.server.enableSessionTicketExtension";

	private static final String SESSION_CACHE_SIZE = "javax.net.ssl.sessionCacheSize";

	@Test
	void invalidateSessionsWhenSessionsCannotBeInvalidatedThenOthersStillEndedAndWarnedOnce(CapturedOutput output) {
		SslContextRegistry registry = new SslContextRegistry(Duration.ofSeconds(42));
		List<String> invalidated = new ArrayList<>();
		// As Conscrypt's: its sessions' invalidate() throws.
		registry.track(sessions("conscrypt", invalidated, true));
		registry.track(sessions("jdk", invalidated, false));

		registry.invalidateSessions();
		registry.invalidateSessions();

		assertThat(invalidated).containsExactly("jdk", "jdk");
		assertThat(output.toString().lines().filter((line) -> line.contains("cannot be ended on a reload"))).hasSize(1);
	}

	private static SSLSessionContext sessions(String name, List<String> invalidated, boolean unsupported) {
		SSLSession session = (SSLSession) Proxy.newProxyInstance(SslContextRegistryTests.class.getClassLoader(),
				new Class<?>[] { SSLSession.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("invalidate")) {
						if (unsupported) {
							throw new UnsupportedOperationException();
						}
						invalidated.add(name);
					}
					return null;
				});
		return new SSLSessionContext() {

			@Override
			public SSLSession getSession(byte[] sessionId) {
				return session;
			}

			@Override
			public Enumeration<byte[]> getIds() {
				return Collections.enumeration(List.of(new byte[] { 1 }));
			}

			@Override
			public void setSessionTimeout(int seconds) {
			}

			@Override
			public int getSessionTimeout() {
				return 0;
			}

			@Override
			public void setSessionCacheSize(int size) {
			}

			@Override
			public int getSessionCacheSize() {
				return 0;
			}

		};
	}

	@Test
	void trackWhenContextCreatedThenSessionLifetimeCapped() throws Exception {
		SslContextRegistry registry = new SslContextRegistry(Duration.ofSeconds(42));

		SSLContext context = registry.track(initialized(SslContextRegistry.newContext(null)));

		assertThat(context.getServerSessionContext().getSessionTimeout()).isEqualTo(42);
		assertThat(context.getClientSessionContext().getSessionTimeout()).isEqualTo(42);
	}

	@Test
	void trackWhenContextCreatedThenSessionCacheSizeCapped() throws Exception {
		SslContextRegistry registry = new SslContextRegistry(Duration.ofSeconds(42));

		SSLContext context = registry.track(initialized(SslContextRegistry.newContext(null)));

		assertThat(context.getServerSessionContext().getSessionCacheSize())
			.isEqualTo(SslContextRegistry.DEFAULT_SESSION_CACHE_SIZE);
		assertThat(context.getClientSessionContext().getSessionCacheSize())
			.isEqualTo(SslContextRegistry.DEFAULT_SESSION_CACHE_SIZE);
	}

	@Test
	void trackWhenApplicationSetsSessionCacheSizeThenJdkPropertyApplies() throws Exception {
		System.setProperty(SESSION_CACHE_SIZE, "100");
		try {
			SslContextRegistry registry = new SslContextRegistry(Duration.ofSeconds(42));

			SSLContext context = registry.track(initialized(SslContextRegistry.newContext(null)));

			assertThat(context.getServerSessionContext().getSessionCacheSize()).isEqualTo(100);
		}
		finally {
			System.clearProperty(SESSION_CACHE_SIZE);
		}
	}

	@Test
	void newContextWhenApplicationLeavesSessionTicketsAloneThenPropertyNotLeftSet() throws Exception {
		SslContextRegistry.newContext(null);

		assertThat(System.getProperty(SESSION_TICKETS)).isNull();
	}

	@Test
	void newContextWhenApplicationTurnsSessionTicketsOnThenKeptAndWarned(CapturedOutput output) throws Exception {
		System.setProperty(SESSION_TICKETS, "true");
		try {
			SslContextRegistry.newContext(null);

			assertThat(System.getProperty(SESSION_TICKETS)).isEqualTo("true");
			assertThat(output).contains("-D" + SESSION_TICKETS + "=true: TLS sessions resumed from stateless tickets");
		}
		finally {
			System.clearProperty(SESSION_TICKETS);
		}
	}

	private static SSLContext initialized(SSLContext context) throws Exception {
		context.init(null, null, null);
		return context;
	}

}
