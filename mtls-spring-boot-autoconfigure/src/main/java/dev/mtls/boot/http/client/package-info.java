/**
 * Outbound HTTP clients: the relaxed bundle without host-name verification and handshake
 * diagnostics.
 */
@NullMarked
package dev.mtls.boot.http.client;

import org.jspecify.annotations.NullMarked;
