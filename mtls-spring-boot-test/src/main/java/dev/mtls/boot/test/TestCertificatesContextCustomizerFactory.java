package dev.mtls.boot.test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Applies {@link TestCertificatesContextCustomizer} to test classes (and their nested
 * classes) annotated with {@link AutoConfigureTestCertificates}.
 */
class TestCertificatesContextCustomizerFactory implements ContextCustomizerFactory {

	private static final Log logger = LogFactory.getLog(TestCertificatesContextCustomizerFactory.class);

	private static final AtomicBoolean warmedUp = new AtomicBoolean();

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureTestCertificates.class)) {
			return null;
		}
		warmUp();
		return new TestCertificatesContextCustomizer();
	}

	/**
	 * Mint and discard a test CA once per JVM on a background thread while the test
	 * framework prepares the first context: the first minting loads BouncyCastle's and
	 * the JDK's elliptic-curve classes (tens of milliseconds), which then overlaps
	 * Spring's own start-up instead of adding to it. The context still mints its own CA.
	 */
	private static void warmUp() {
		if (warmedUp.compareAndSet(false, true)) {
			Thread thread = new Thread(() -> {
				try {
					TestCertificateAuthority.create().close();
				}
				catch (RuntimeException ex) {
					// The context's own minting fails the same way, with its own message.
					logger.debug("Test CA warm-up failed", ex);
				}
			}, "mtls-test-ca-warm-up");
			thread.setDaemon(true);
			thread.start();
		}
	}

}
