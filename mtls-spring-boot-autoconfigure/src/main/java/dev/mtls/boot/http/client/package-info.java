/**
 * Outbound HTTP clients: handshake diagnostics.
 */
@NullMarked
package dev.mtls.boot.http.client;

import org.jspecify.annotations.NullMarked;
