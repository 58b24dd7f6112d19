/**
 * Auto-configuration of forwarded client certificates.
 */
@NullMarked
package dev.mtls.boot.autoconfigure.forwarded;

import org.jspecify.annotations.NullMarked;
