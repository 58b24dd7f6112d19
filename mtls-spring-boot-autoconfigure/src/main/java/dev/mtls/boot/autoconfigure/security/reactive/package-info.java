/**
 * Auto-configuration of Spring Security for reactive (WebFlux) applications: certificate
 * authentication and rules.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.security.reactive;

import org.jspecify.annotations.NullMarked;
