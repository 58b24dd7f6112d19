package dev.mtls.boot.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.web.server.Ssl;

/**
 * TLS of a separate management server ('management.server.port'), and who sees the mtls
 * endpoint's details.
 *
 * @since 0.1.0
 */
public class MtlsManagementProperties {

	/**
	 * Whether the management server needs, wants or does not request a client
	 * certificate. Defaults to none, so that probes need no certificate.
	 */
	private Ssl.ClientAuth clientAuth = Ssl.ClientAuth.NONE;

	/**
	 * When the mtls endpoint shows the authorization rules and the peers seen: to the
	 * callers that 'mtls.management.roles' allows (when-authorized), never or always.
	 * Every other caller gets a summary: identity, trust anchors, server settings and
	 * reloads.
	 */
	private ShowDetails showDetails = ShowDetails.WHEN_AUTHORIZED;

	/**
	 * Identity patterns of the callers allowed to see the mtls endpoint's details with
	 * 'mtls.management.show-details=when-authorized', such as
	 * 'spiffe://acme.org/ns/ops/**' or 'authority:ROLE_OPS'. None by default: nobody sees
	 * them until this is set.
	 */
	private List<String> roles = new ArrayList<>();

	public ShowDetails getShowDetails() {
		return this.showDetails;
	}

	public void setShowDetails(ShowDetails showDetails) {
		this.showDetails = showDetails;
	}

	public List<String> getRoles() {
		return this.roles;
	}

	public void setRoles(List<String> roles) {
		this.roles = roles;
	}

	public Ssl.ClientAuth getClientAuth() {
		return this.clientAuth;
	}

	public void setClientAuth(Ssl.ClientAuth clientAuth) {
		this.clientAuth = clientAuth;
	}

	/**
	 * When the mtls endpoint shows its details: Spring Boot's {@code Show} values, in a
	 * type of the starter's own so that these properties load without the actuator.
	 */
	public enum ShowDetails {

		/**
		 * To nobody.
		 */
		NEVER,

		/**
		 * To the callers that 'mtls.management.roles' allows.
		 */
		WHEN_AUTHORIZED,

		/**
		 * To every caller that may call the endpoint.
		 */
		ALWAYS

	}

}
