package dev.mtls.boot.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests without Spring a {@link TestCertificateAuthority}: a parameter of that type
 * (of a test method, a lifecycle method or the constructor) receives the CA of its scope,
 * whose temporary directory is deleted when the scope ends. A CA first asked for by a
 * {@code @BeforeAll} method or a constructor belongs to the test class, and every test
 * method of the class receives that same CA (so personas they mint chain to the server a
 * {@code @BeforeAll} method started); otherwise each test method gets its own. A test
 * that needs a second, separate CA creates it with
 * {@link TestCertificateAuthority#create()}.
 *
 * <pre class="code">
 * &#064;ExtendWith(TestCertificateAuthorityExtension.class)
 * class CertificateFilesTests {
 *
 *     &#064;Test
 *     void readsRotatedIdentity(TestCertificateAuthority ca) {
 *         PemFiles files = ca.writePem("service", ca.newServerCertificate());
 *         ...
 *         ca.writePem("service", ca.newServerCertificate()); // rotated in place
 *     }
 *
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public class TestCertificateAuthorityExtension implements ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(TestCertificateAuthorityExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == TestCertificateAuthority.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		// The store closes the CA (deleting its directory) when its scope ends.
		return extensionContext.getStore(NAMESPACE)
			.computeIfAbsent(TestCertificateAuthority.class, (key) -> TestCertificateAuthority.create(),
					TestCertificateAuthority.class);
	}

}
