/**
 * Start-up failures caused by mTLS configuration, each naming the property to fix, and
 * their failure analysis.
 */
@NullMarked
package dev.mtls.boot.config;

import org.jspecify.annotations.NullMarked;
