/**
 * Auto-configuration of mutual TLS: properties, TLS material and the {@code mtls} SSL
 * bundle.
 */
@NullMarked
package dev.mtls.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
