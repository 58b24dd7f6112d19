package dev.mtls.boot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mtls.boot.identity.CertificateText;
import dev.mtls.boot.identity.PrincipalName;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Creates the test CA of a context, serves its files through {@code mtls-test:}
 * locations, points the {@code mtls.*} material properties at them (highest precedence)
 * and registers the {@link TestCertificates} bean.
 */
class TestCertificatesContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "mtlsTestCertificates";

	private static final Log logger = LogFactory.getLog(AutoConfigureTestCertificates.class);

	/**
	 * The properties that name the material: set here, or blanked so that what the
	 * application configures is unset.
	 */
	private static final List<String> MATERIAL_PROPERTIES = List.of("mtls.bundle", "mtls.identity.certificate",
			"mtls.identity.private-key", "mtls.identity.private-key-password", "mtls.identity.keystore.location",
			"mtls.identity.keystore.type", "mtls.identity.keystore.alias", "mtls.trust.certificates",
			"mtls.trust.truststore.location", "mtls.trust.truststore.type", "mtls.revocation.crls",
			"mtls.revocation.ocsp", "mtls.revocation.distribution-points", "mtls.dev.enabled");

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ConfigurableEnvironment environment = context.getEnvironment();
		PrincipalName principalName = Binder.get(environment)
			.bind("mtls.principal.name", PrincipalName.class)
			.orElse(PrincipalName.CN);
		List<String> overridden = MATERIAL_PROPERTIES.stream()
			.filter((name) -> environment.containsProperty(name) || environment.containsProperty(name + "[0]"))
			.toList();
		TestCertificateAuthority authority = TestCertificateAuthority.create(principalName,
				() -> ServerClients.serverUrl(environment));
		context.addProtocolResolver(new TestCertificateResources(authority));
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties()));
		logger.info("mTLS identity and trust come from an in-memory test CA '%s'%s".formatted(
				CertificateText.escape(authority.getCaCertificate().getSubjectX500Principal().getName()),
				overridden.isEmpty() ? "" : "; overridden: " + String.join(", ", overridden)));
		context.getBeanFactory().registerSingleton("testCertificates", new TestCertificates(authority, context));
		context.addApplicationListener((event) -> {
			if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
				authority.close();
			}
		});
	}

	private static Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		MATERIAL_PROPERTIES.forEach((name) -> properties.put(name, ""));
		properties.put("mtls.identity.certificate", TestCertificateResources.SERVER_CERTIFICATE);
		properties.put("mtls.identity.private-key", TestCertificateResources.SERVER_PRIVATE_KEY);
		properties.put("mtls.trust.certificates", TestCertificateResources.CA_CERTIFICATE);
		properties.put("mtls.revocation.crls", TestCertificateResources.CRL);
		// The test CA revokes through its CRL; it runs no OCSP responder and publishes no
		// distribution point, so online checks would refuse every persona.
		properties.put("mtls.revocation.ocsp", "false");
		properties.put("mtls.revocation.distribution-points", "false");
		properties.put("mtls.dev.enabled", "false");
		return properties;
	}

	@Override
	public boolean equals(Object other) {
		// One test CA per cached context: test classes with the annotation share it.
		return other != null && getClass() == other.getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

}
