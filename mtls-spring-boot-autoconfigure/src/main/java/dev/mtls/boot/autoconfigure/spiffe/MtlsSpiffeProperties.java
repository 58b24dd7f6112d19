package dev.mtls.boot.autoconfigure.spiffe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Identity and trust from the SPIFFE Workload API ({@code mtls.spiffe.*}).
 *
 * @since 0.1.0
 */
public class MtlsSpiffeProperties {

	/**
	 * Whether identity (the X.509 SVID) and trust (the bundles, each for its own trust
	 * domain) come from the SPIFFE Workload API, instead of 'mtls.identity', 'mtls.trust'
	 * or 'mtls.bundle'.
	 */
	private boolean enabled;

	/**
	 * The Workload API's socket, such as 'unix:/run/spire/agent-sockets/agent.sock'.
	 * Defaults to the SPIFFE_ENDPOINT_SOCKET environment variable.
	 */
	private @Nullable String endpointSocket;

	/**
	 * How long start-up waits for the first X.509 SVID.
	 */
	private Duration initialTimeout = Duration.ofSeconds(30);

	/**
	 * Hint of the X.509 SVID to use when the agent offers several; the first by default.
	 */
	private @Nullable String svidHint;

	/**
	 * SPIFFE ID pattern expected of the servers this service calls, by host: a host name
	 * or IP address, '*.example.org' for one label, or '*' for every host. A server at
	 * such a host must present a matching SPIFFE ID; its host name is not checked (SVIDs
	 * name no host). Servers at other hosts must name the host, as without SPIFFE.
	 */
	private Map<String, String> expectedServers = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getEndpointSocket() {
		return this.endpointSocket;
	}

	public void setEndpointSocket(@Nullable String endpointSocket) {
		this.endpointSocket = endpointSocket;
	}

	public Duration getInitialTimeout() {
		return this.initialTimeout;
	}

	public void setInitialTimeout(Duration initialTimeout) {
		this.initialTimeout = initialTimeout;
	}

	public @Nullable String getSvidHint() {
		return this.svidHint;
	}

	public void setSvidHint(@Nullable String svidHint) {
		this.svidHint = svidHint;
	}

	public Map<String, String> getExpectedServers() {
		return this.expectedServers;
	}

	public void setExpectedServers(Map<String, String> expectedServers) {
		this.expectedServers = expectedServers;
	}

}
