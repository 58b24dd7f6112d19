/**
 * Auto-configuration of outbound HTTP clients that present the service's identity.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.http.client;

import org.jspecify.annotations.NullMarked;
