/**
 * Dev mode: a local CA, server and client certificates written to a directory and reused
 * across restarts.
 */
@NullMarked
package dev.mtls.boot.dev;

import org.jspecify.annotations.NullMarked;
