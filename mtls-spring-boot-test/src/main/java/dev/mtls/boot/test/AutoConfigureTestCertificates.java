package dev.mtls.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Gives a Spring test context a fresh in-memory test CA: the context's mTLS identity is a
 * server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, its trust
 * is the test CA and its CRLs are the test CA's, overriding the application's
 * {@code mtls.identity}, {@code mtls.trust}, {@code mtls.bundle} and
 * {@code mtls.revocation.crls}, and online revocation checks ({@code ocsp},
 * {@code distribution-points}) are off, as the test CA runs no responder; other
 * {@code mtls.*} settings (policy, principal, authorization rules) stay as the
 * application configures them. A {@link TestCertificates} bean mints personas.
 * <p>
 * Works on {@code @SpringBootTest} (with or without a server) and on {@code @WebMvcTest}
 * and {@code @WebFluxTest} slices, whose context it adds the starter's core and security
 * auto-configuration (servlet or reactive) to.
 *
 * @since 0.1.0
 * @see MtlsMockMvc
 * @see MtlsWebTestClient
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureTestCertificates {

}
