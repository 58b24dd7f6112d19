package dev.mtls.boot.test;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServerClients}.
 */
class ServerClientsTests {

	@Test
	void serverUrlWhenServletContextPathThenIncluded() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8443")
			.withProperty("server.servlet.context-path", "/api");

		assertThat(ServerClients.serverUrl(environment)).isEqualTo("https://localhost:8443/api");
	}

	@Test
	void serverUrlWhenWebFluxBasePathThenIncluded() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8443")
			.withProperty("spring.webflux.base-path", "/api");

		assertThat(ServerClients.serverUrl(environment)).isEqualTo("https://localhost:8443/api");
	}

	@Test
	void serverUrlWhenBasePathWithoutLeadingOrWithTrailingSlashThenNormalized() {
		assertThat(ServerClients.serverUrl(new MockEnvironment().withProperty("local.server.port", "8443")
			.withProperty("spring.webflux.base-path", "api/"))).isEqualTo("https://localhost:8443/api");
		assertThat(ServerClients.serverUrl(new MockEnvironment().withProperty("local.server.port", "8443")
			.withProperty("server.servlet.context-path", "/"))).isEqualTo("https://localhost:8443");
	}

	@Test
	void serverUrlWhenNoServerThenNull() {
		assertThat(ServerClients.serverUrl(new MockEnvironment())).isNull();
	}

}
