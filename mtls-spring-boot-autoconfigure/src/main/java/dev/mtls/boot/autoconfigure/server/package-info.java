/**
 * Auto-configuration of the embedded web server for mutual TLS.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
