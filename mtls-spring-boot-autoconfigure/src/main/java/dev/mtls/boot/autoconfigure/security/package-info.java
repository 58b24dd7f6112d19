/**
 * Spring Security integration: client certificates as authenticated principals.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
