/**
 * Validation of peer certificate chains: trust, a strict certificate policy and
 * revocation, usable with or without a server.
 */
@NullMarked
package dev.mtls.boot.trust;

import org.jspecify.annotations.NullMarked;
