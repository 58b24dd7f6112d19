/**
 * Spring Security for WebFlux applications: the certificate web filter, path rules, and
 * the one-line customizer of {@code ServerHttpSecurity}.
 */
@NullMarked
package dev.mtls.boot.security.reactive;

import org.jspecify.annotations.NullMarked;
