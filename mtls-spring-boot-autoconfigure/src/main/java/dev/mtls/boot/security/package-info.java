/**
 * Spring Security API for mTLS: certificate authentication, authorities, identity-based
 * authorization rules, and the {@code @mtls} SpEL helper.
 */
@NullMarked
package dev.mtls.boot.security;

import org.jspecify.annotations.NullMarked;
