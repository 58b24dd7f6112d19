/**
 * Test support for services on the mTLS starter: a test CA and client personas
 * ({@link dev.mtls.boot.test.TestCertificates},
 * {@link dev.mtls.boot.test.TestCertificateSpec}),
 * {@link dev.mtls.boot.test.AutoConfigureTestCertificates @AutoConfigureTestCertificates}
 * for Spring tests, {@link dev.mtls.boot.test.MtlsMockMvc} and
 * {@link dev.mtls.boot.test.MtlsWebTestClient} for requests through the real
 * authentication without TLS, and a JUnit extension for tests without Spring.
 */
@NullMarked
package dev.mtls.boot.test;

import org.jspecify.annotations.NullMarked;
