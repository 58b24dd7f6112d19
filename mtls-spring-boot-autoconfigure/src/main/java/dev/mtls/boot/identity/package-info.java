/**
 * The identity a client certificate carries, as seen by applications.
 */
@NullMarked
package dev.mtls.boot.identity;

import org.jspecify.annotations.NullMarked;
