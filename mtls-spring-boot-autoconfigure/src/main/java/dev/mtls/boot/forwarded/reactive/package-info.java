/**
 * Forwarded client certificates on WebFlux: a web filter ahead of every other.
 */
@NullMarked
package dev.mtls.boot.forwarded.reactive;

import org.jspecify.annotations.NullMarked;
